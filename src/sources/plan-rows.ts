import type { CheckedInput } from './checked-input.js';
import { ProblemList } from '../manifest/problem-list.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import { decodePlanRow } from '../records/row-codec.js';
import { readGroupInBulk, withPrefetched, type GroupRead } from './group-bulk-read.js';
import { applyVersionWarning } from '../report/version-check.js';
import { planError, type OpenedPlan } from './read-plan.js';

/** A plan row on its way through apply: the target (its fields: what it was planned from, the plan's values over them), and the plan's row. */
export type PlannedRow = RowTarget & { planned: RowResult };

/**
 * plan.json as apply's input: a first pass checks every row before any request (duplicates refused), streaming and
 * keeping only the ids seen; any problem is JobError EPLAN (exit 2), nothing sent. The rows are streamed again to run.
 */
export async function planInput(plan: OpenedPlan): Promise<CheckedInput<PlannedRow>> {
  const list = new ProblemList();
  const { add } = list;
  const seen = new Map<string, number>();
  // A plan of a group: the users apply will read, to read them with the group's read (group-bulk-read.ts).
  const toRead: string[] = [];
  let rowCount = 0;
  for await (const { at, raw, notJson } of plan.rows()) {
    rowCount++;
    if (notJson) {
      add({ file: plan.file, line: at || undefined, message: `not a JSON row: ${String(raw).slice(0, 60)}` });
      continue;
    }
    const checked = decodePlanRow(raw, at || rowCount, plan.op, plan.file);
    checked.problems.forEach(add);
    if (!checked.row) continue;
    const first = seen.get(checked.row.id);
    if (first !== undefined) add({ file: plan.file, line: at || undefined, field: plan.op.keyFields.join('/'), message: `"${checked.row.id}" appears twice (first on manifest line ${first})` });
    else seen.set(checked.row.id, checked.row.line);
    if (plan.header.target && checked.row.status === 'planned') toRead.push(checked.row.id);
  }
  if (list.count) throw planError(plan.file, list.listed, list.count);
  const { header } = plan;
  return {
    source: plan.file,
    fieldsUsed: header.fieldsUsed,
    defaults: {},
    warnings: [applyVersionWarning(plan.file, header.odinBulkVersion)].filter((w) => w !== undefined),
    rowCount,
    async open(client) {
      const read = header.target ? await readGroupInBulk(client, plan.op, header.target, toRead) : undefined;
      const rows = read ? withGroupRead(plannedRows(plan), read) : plannedRows(plan);
      return { rows, count: rowCount, hash: header.manifestHash ?? header.userListHash ?? '', ...(read?.note ? { notes: [read.note] } : {}) };
    },
  };
}

/** The checked rows, streamed. */
async function* plannedRows(plan: OpenedPlan): AsyncGenerator<PlannedRow> {
  let index = 0;
  for await (const { at, raw } of plan.rows()) {
    index++;
    const { row } = decodePlanRow(raw, at || index, plan.op, plan.file);
    if (!row) throw planError(plan.file, [{ file: plan.file, line: at, message: 'changed while it was being applied' }]);
    yield { line: row.line, key: row.key, id: row.id, fields: row.requested, planned: row };
  }
}

async function* withGroupRead(rows: AsyncIterable<PlannedRow>, read: GroupRead): AsyncGenerator<PlannedRow> {
  for await (const row of rows) yield row.planned.status === 'planned' ? withPrefetched(row, read) : row;
}
