import type { ManifestRow, Problem } from '../manifest/types.js';
import { MAX_LISTED_PROBLEMS } from '../manifest/validate-manifest.js';
import { checkPlanRow } from '../records/check-plan.js';
import type { PlanRow } from '../records/plan-file.js';
import { planError, type OpenedPlan } from './read-plan.js';

/** A plan row on its way through apply; `fields` (what the manifest asked for) feeds the reports. */
export type ApplyRow = ManifestRow & { plan: PlanRow };

export type PlanCheck = { rowCount: number; planned: number };

/**
 * First pass over plan.json, before any request: every row checked, duplicates refused. Streams, keeping
 * only the ids seen. Any problem → JobError EPLAN (exit 2), nothing sent.
 */
export async function checkPlanRows(plan: OpenedPlan): Promise<PlanCheck> {
  const problems: Problem[] = [];
  let count = 0;
  const add = (p: Problem) => {
    count++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };
  const seen = new Map<string, number>();
  let rowCount = 0;
  let planned = 0;
  for await (const { at, raw, notJson } of plan.rows()) {
    rowCount++;
    if (notJson) {
      add({ file: plan.file, line: at || undefined, message: `not a JSON row: ${String(raw).slice(0, 60)}` });
      continue;
    }
    const checked = checkPlanRow(raw, at || rowCount, plan.op, plan.file);
    checked.problems.forEach(add);
    if (!checked.row) continue;
    const id = idOf(checked.row, plan.op.keyFields);
    const first = seen.get(id);
    if (first !== undefined) add({ file: plan.file, line: at || undefined, field: plan.op.keyFields.join('/'), message: `"${id}" appears twice (first on manifest line ${first})` });
    else seen.set(id, checked.row.line);
    if (checked.row.set) planned++;
  }
  if (count) throw planError(plan.file, problems, count);
  return { rowCount, planned };
}

/** Second pass: the checked rows, streamed. */
export async function* planRows(plan: OpenedPlan): AsyncGenerator<ApplyRow> {
  let index = 0;
  for await (const { at, raw } of plan.rows()) {
    index++;
    const { row } = checkPlanRow(raw, at || index, plan.op, plan.file);
    if (!row) throw planError(plan.file, [{ file: plan.file, line: at, message: 'changed while it was being applied' }]);
    yield { line: row.line, key: row.key, id: idOf(row, plan.op.keyFields), fields: { ...row.before, ...row.set }, plan: row };
  }
}

function idOf(row: PlanRow, keyFields: readonly string[]): string {
  return keyFields.map((k) => row.key[k]).join('/');
}
