import { createHash } from 'node:crypto';
import type { OdinClient } from '../client/odin-client.js';
import { RowFailure } from '../client/row-failure.js';
import { JobError } from '../model/errors.js';
import { keyProblem } from '../operations/key-fields.js';
import type { OperationDef } from '../operations/types.js';
import { formatGroupTarget, type GroupTarget } from '../settings/group-target.js';

export type GroupKeys = {
  /** One key per target, in listing order: `{userId}` for a user operation, the group itself for a group one. */
  keys: Record<string, string>[];
  /** sha256 of the target ids, one per line, in listing order: what run.json records instead of a manifest hash. */
  hash: string;
};

const isGroupScope = (op: OperationDef) => op.keyFields.join() === 'serviceProviderId,groupId';
const isUserScope = (op: OperationDef) => op.keyFields.join() === 'userId';

/**
 * The targets a group stands for: its users (`GET /users?serviceProviderId=&groupId=`) for a user operation, or
 * the group itself for a group operation. An unknown or empty group is an input error (exit 2); a listing that
 * cannot be had is EUNREACHABLE (exit 3). Sends no write.
 */
export async function groupTargetKeys(client: OdinClient, op: OperationDef, group: GroupTarget): Promise<GroupKeys> {
  const name = formatGroupTarget(group);
  if (isGroupScope(op)) return withHash([{ serviceProviderId: group.serviceProviderId, groupId: group.groupId }], [name]);
  if (!isUserScope(op)) {
    throw new JobError('EINPUT', `--group cannot target ${op.name}: it is keyed by ${op.keyFields.join(' + ')}`, ['Give a manifest instead.']);
  }
  let listed: string[];
  try {
    listed = await client.listGroupUsers(group);
  } catch (error) {
    throw listingError(error, name);
  }
  const ids = [...new Set(listed)];
  if (ids.length === 0) {
    throw new JobError('EINPUT', `group ${name} has no users: nothing to do`, ['Check the group, or give a manifest instead.']);
  }
  const bad = ids.map((id) => keyProblem('userId', id)).filter((p) => p !== undefined);
  if (bad.length) {
    throw new JobError('EUNREACHABLE', `the user list of group ${name} holds ${bad.length} userId(s) odin-bulk cannot use; nothing was sent`, bad.slice(0, 20));
  }
  return withHash(ids.map((userId) => ({ userId })), ids);
}

function withHash(keys: Record<string, string>[], ids: string[]): GroupKeys {
  return { keys, hash: createHash('sha256').update(ids.join('\n')).digest('hex') };
}

function listingError(error: unknown, name: string): JobError {
  if (!(error instanceof RowFailure)) throw error;
  if (error.code === 'ENDPOINT_MISSING') {
    return new JobError('EENDPOINT', `cannot list the users of group ${name}: ${error.message}; nothing was sent`);
  }
  if (error.code === 'NOT_FOUND') {
    return new JobError('EINPUT', `group ${name} was not found (${error.message}); nothing was sent`, [
      'Check --group (SERVICE_PROVIDER/GROUP, both exactly as in Odin) or the job file\'s "target".',
    ]);
  }
  return new JobError('EUNREACHABLE', `cannot list the users of group ${name}: ${error.message}; nothing was sent`);
}
