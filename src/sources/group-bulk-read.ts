import type { OdinClient } from '../client/odin-client.js';
import { DOCTOR_HINT } from '../client/classify-failure.js';
import type { BulkItem } from '../client/parse-bulk-settings.js';
import { RowFailure } from '../client/row-failure.js';
import type { PrefetchedLive, RowTarget } from '../model/row-result.js';
import type { OperationDef } from '../operations/types.js';
import { formatGroupTarget, type GroupTarget } from '../settings/group-target.js';
import type { RunNote } from './checked-input.js';

/** What the group's read found: the live values it gave, by userId, and one line for the log. */
export type GroupRead = {
  /** The users whose live values the read gave (their settings, or that they lack the service). */
  live: ReadonlyMap<string, PrefetchedLive>;
  /** How the group was read (or why it is read user by user); undefined when the operation has no group-wide read. */
  note?: RunNote;
};

const NOTHING: GroupRead = { live: new Map() };

/**
 * Reads the live values of a group's users with one request, where the operation's definition names a group-wide
 * read (`op.bulkRead`): each user's `data` is read as its own GET would be (readLiveFields), and a user whose
 * `service.assigned` is false is known to lack the service before anything is sent.
 *
 * Falls back to per-user GETs (an empty map, and a note saying so once) when the read is refused or fails (404,
 * 403, 501, errors after the retries), when its answer is not a bulk answer, or when it is about another service.
 * A user the answer does not list, lists twice, or gives no settings for is read with its own GET. Sends no write.
 */
export async function readGroupInBulk(client: OdinClient, op: OperationDef, group: GroupTarget, userIds: readonly string[]): Promise<GroupRead> {
  if (!op.bulkRead || op.keyFields.join() !== 'userId' || userIds.length < 2) return NOTHING; // one user: its own GET is as cheap
  const via = `GET ${op.bulkRead}`;
  const name = formatGroupTarget(group);
  const oneByOne = (why: string): GroupRead => ({
    live: new Map(),
    note: { level: 'warn', text: `group ${name}: cannot read the group at once (${why}); reading its ${count(userIds.length, 'user')} one by one` },
  });
  let items: BulkItem[];
  try {
    items = await client.readGroup(op, group);
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    // A missing group-wide read is not a reason to run doctor: the per-user reads below are what doctor checks.
    return oneByOne(error.message.replace(`; ${DOCTOR_HINT}`, ''));
  }
  const service = op.service ?? op.name;
  const other = items.find((i) => i.serviceName !== undefined && i.serviceName.toLowerCase() !== service.toLowerCase());
  if (other) return oneByOne(`${via} answered about the service "${other.serviceName}", not ${service}`);

  const byUser = new Map<string, BulkItem | 'twice'>();
  for (const item of items) byUser.set(item.userId, byUser.has(item.userId) ? 'twice' : item);
  const live = new Map<string, PrefetchedLive>();
  let unassigned = 0;
  for (const userId of userIds) {
    const item = byUser.get(userId);
    if (item === undefined || item === 'twice') continue;
    if (!item.assigned) {
      live.set(userId, { via, assigned: false, service });
      unassigned++;
    } else if (item.fields) {
      live.set(userId, { via, assigned: true, fields: item.fields });
    }
  }
  const rest = userIds.length - live.size;
  const parts = [
    `group ${name}: ${live.size} of ${count(userIds.length, 'user')} read in one request (${via})`,
    ...(unassigned ? [`${unassigned} without the ${service} service, not written`] : []),
    ...(rest ? [`${count(rest, 'user')} read one by one (left out of its answer, listed twice, or without settings there)`] : []),
  ];
  return { live, note: { level: 'debug', text: parts.join('; ') } };
}

/** The row with the live values its group's read gave, if it gave them. */
export function withPrefetched<T extends RowTarget>(row: T, read: GroupRead): T {
  const live = read.live.get(row.key.userId ?? '');
  return live ? { ...row, prefetched: live } : row;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
