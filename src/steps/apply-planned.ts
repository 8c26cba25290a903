import type { PlannedRow } from '../sources/plan-rows.js';
import { gateWarnings } from '../operations/gate-warnings.js';
import { sameFieldValue } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';
import type { Step } from './step.js';
import { differing, notReturned, pick, readLive, rowStep, show, writeAndVerify } from './row-pieces.js';




/**
 * `apply`'s step: read the user again; when a field the plan sets no longer holds the value the plan was made from,
 * the row is a `conflict` and nothing is written (unless `force`); otherwise PUT exactly the plan's values and
 * verify. Rows the plan does not change send nothing.
 */
export function applyPlanned({ op, force }: { op: OperationDef; force: boolean }): Step<PlannedRow> {
  return (row, io) =>
    rowStep(row, async (work) => {
      const { result, track } = work;
      const { planned } = row;
      if (planned.status !== 'planned') {
        if (planned.status === 'unchanged') return { status: 'unchanged', before: planned.before, after: planned.before };
        return { status: 'skipped', error: `not in the plan: the row was ${planned.status} when planned${planned.error ? ` (${planned.error})` : ''}` };
      }
      const set = Object.fromEntries(planned.changed.map((f) => [f, planned.requested[f] ?? null]));
      const from = planned.before ?? {};
      const live = await readLive(io.client, op, row, track);
      result.before = pick(live, row.fields);
      const missing = notReturned(op, live, set);
      if (missing) return missing;
      const drift = (fields: string[]) =>
        fields.filter((f) => !sameFieldValue(op, f, live[f], from[f] ?? null)).map((f) => `${f} is ${show(live[f])}, the plan was made from ${show(from[f])}`);
      // Already at the planned values (e.g. an apply run again after an interruption): nothing to write.
      if (differing(op, live, set).length === 0) return { status: 'unchanged', after: result.before };
      const conflicts = drift(Object.keys(set));
      if (conflicts.length && !force) {
        return { status: 'conflict', errorCode: 'CONFLICT', after: result.before, error: `changed since the plan, not written: ${conflicts.join('; ')} (re-plan, or apply --force)` };
      }
      if (conflicts.length) result.warnings.push(`written with --force despite changes since the plan: ${conflicts.join('; ')}`);
      const unplanned = drift(Object.keys(from).filter((f) => !(f in set)));
      if (unplanned.length) result.warnings.push(`a field the plan leaves alone changed since the plan: ${unplanned.join('; ')}`);
      result.changed = Object.keys(set);
      result.warnings.push(...gateWarnings(op, result.changed, row.fields, live));
      io.beforeWrite?.(row, result.before, result.changed);
      return writeAndVerify(io.client, op, row, set, set, work);
    });
}
