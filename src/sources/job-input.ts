import type { CheckedInput } from './checked-input.js';
import { JobError } from '../model/errors.js';
import type { JobOptions } from '../settings/job-options.js';
import { checkDefaults, checkRow } from '../manifest/check-row.js';
import { READ_ONCE_LIMIT, type ReadOnceLimit } from '../manifest/read-once.js';
import type { ManifestRow } from '../manifest/types.js';
import { checkedRows, formatProblem } from '../manifest/validate-manifest.js';
import type { Fields, OperationDef } from '../operations/types.js';
import { isStepsOperation, namesOfStep } from '../operations/steps-operation.js';
import { inShard } from '../settings/shard.js';
import { formatGroupTarget, type GroupTarget } from '../settings/group-target.js';
import { readGroupInBulk, withPrefetched } from './group-bulk-read.js';
import { groupTargetKeys } from './group-listing.js';
import { checkManifest, manifestWarningLines } from './check-manifest.js';
import { shardRows } from './shard-rows.js';
import { spreadRows } from './spread-rows.js';
import { iterate } from '../util/iterate.js';

/** What a job (run, plan, validate) runs over, checked offline; `open` (after login) yields its rows. */
export type JobInput = CheckedInput<ManifestRow>;

/**
 * A manifest is validated whole here; a group target has its defaults validated here and its users listed in
 * `open`. Any input problem is a JobError (exit 2) before anything is written. A manifest within `readOnce` is read
 * once: `open` yields the rows validation kept, and the hash of the bytes it read.
 */
export async function checkInput(options: JobOptions, readOnce: ReadOnceLimit = READ_ONCE_LIMIT): Promise<JobInput> {
  if (options.target) return checkGroupInput(options, options.target);
  const { source, check } = await checkManifest(options, readOnce);
  const spread = options.waves?.order === 'spread';
  if (spread && check.groupedRows === 0) {
    throw new JobError('EINPUT', `--wave-order spread takes rows evenly across groups, and ${source.file} names no group; nothing was sent`, [
      'Add serviceProviderId and groupId columns (the group of each user; they are never set), or leave --wave-order off (manifest order).',
    ]);
  }
  return {
    fieldsUsed: check.fieldsUsed,
    source: source.file,
    defaults: check.defaults,
    rowCount: check.selectedCount,
    warnings: [...manifestWarningLines(source.file, check), ...idleSteps(options.op, check.fieldsUsed, source.file)],
    open: async () => {
      const rows = shardRows(checkedRows(source, options.op, check), options.shard);
      return { rows: spread ? spreadRows(rows) : rows, count: check.selectedCount, hash: await source.hash() };
    },
  };
}

/** A job of steps: a step that no default and no column sets is never run; said before anything is sent. */
function idleSteps(op: OperationDef, fieldsUsed: readonly string[], file: string): string[] {
  if (!isStepsOperation(op)) return [];
  return op.steps
    .filter((step) => namesOfStep(step, fieldsUsed).length === 0)
    .map((step) => `step ${step.name} sets nothing (no "defaults" in the job and no ${step.name}.FIELD column in ${file}): it is not run`);
}

function checkGroupInput(options: JobOptions, target: GroupTarget): JobInput {
  const { op } = options;
  const source = `group ${formatGroupTarget(target)}`;
  const { fields, problems } = checkDefaults(options.defaults.values, op, options.defaults.file);
  if (problems.length) throw new JobError('EINPUT', `the job's defaults are not valid for ${op.name}; nothing was sent`, problems.map(formatProblem));
  if (Object.keys(fields).length === 0) {
    throw new JobError('EINPUT', `a group target needs "defaults": the values to set on every ${op.keyFields.includes('userId') ? 'user of the group' : 'target'}`, [
      'Put them in the job file, e.g. {"target": {...}, "operation": "user-do-not-disturb", "defaults": {"isActive": false}}.',
    ]);
  }
  return {
    fieldsUsed: Object.keys(op.fields).filter((f) => f in fields),
    source,
    defaults: fields,
    warnings: [],
    open: async (client) => {
      const { keys, hash } = await groupTargetKeys(client, op, target);
      const rows = keys.map((key, i) => groupRow(key, i + 1, op, fields, source)).filter((row) => inShard(row.id, options.shard));
      const read = await readGroupInBulk(client, op, target, rows.map((row) => row.id));
      return { rows: iterate(rows.map((row) => withPrefetched(row, read))), count: rows.length, hash, ...(read.note ? { notes: [read.note] } : {}) };
    },
  };
}

/** A listed target as a manifest row (line = position in the listing), checked like one. */
function groupRow(key: Record<string, string>, line: number, op: OperationDef, defaults: Fields, source: string): ManifestRow {
  const { row, problems } = checkRow({ line, cells: key }, op, defaults, source);
  if (!row) throw new JobError('EINPUT', `${source}: a listed target cannot be used; nothing was sent`, problems.map(formatProblem));
  return row;
}
