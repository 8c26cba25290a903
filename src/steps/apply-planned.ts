import type { PlannedRow } from '../sources/plan-rows.js';
import { gateWarnings } from '../operations/gate-warnings.js';
import { sameFieldValue } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';
import type { RowResult } from '../model/row-result.js';
import { fieldsOfStep, namesOfStep } from '../operations/steps-operation.js';
import type { Step } from './step.js';
import { differing, notReturned, pick, readLive, rowStep, show, unrestorable, writeAndVerify } from './row-pieces.js';




/**
 * A plan row's part for one step of a job of steps (inSteps' `narrow`): the step's fields, values and planned
 * changes, named as its operation names them; undefined when the row has nothing in that step. A row planned as a
 * whole has each step `planned` where it changes something and `unchanged` elsewhere; a row the plan did not plan
 * (unchanged, failed…) is that in every step.
 */
export function plannedStepRow(row: PlannedRow, step: OperationDef): PlannedRow | undefined {
  const fields = fieldsOfStep(step, row.fields);
  const { planned } = row;
  const changed = namesOfStep(step, planned.changed);
  if (Object.keys(fields).length === 0 && changed.length === 0) return undefined;
  const status = planned.status !== 'planned' ? planned.status : changed.length ? 'planned' : 'unchanged';
  const before = planned.before && fieldsOfStep(step, planned.before);
  return { ...row, fields, planned: { ...planned, status, requested: fieldsOfStep(step, planned.requested), before, changed } };
}

/** The outcome of a row the plan does not change: unchanged as planned, or skipped with what it was when planned. */
export function notPlanned(planned: PlannedRow['planned']): Partial<RowResult> {
  if (planned.status === 'unchanged') return { status: 'unchanged', before: planned.before, after: planned.before };
  return { status: 'skipped', error: `not in the plan: the row was ${planned.status} when planned${planned.error ? ` (${planned.error})` : ''}` };
}

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
      if (planned.status !== 'planned') return notPlanned(planned);
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
      // A field the plan has no value before of (the user lacked its service; an earlier step assigns it) cannot have changed since.
      const conflicts = drift(Object.keys(set).filter((f) => Object.hasOwn(from, f)));
      if (conflicts.length && !force) {
        return { status: 'conflict', errorCode: 'CONFLICT', after: result.before, error: `changed since the plan, not written: ${conflicts.join('; ')} (re-plan, or apply --force)` };
      }
      const cannotUndo = unrestorable(op, live, Object.keys(set));
      if (cannotUndo) return cannotUndo;
      if (conflicts.length) result.warnings.push(`written with --force despite changes since the plan: ${conflicts.join('; ')}`);
      const unplanned = drift(Object.keys(from).filter((f) => !(f in set)));
      if (unplanned.length) result.warnings.push(`a field the plan leaves alone changed since the plan: ${unplanned.join('; ')}`);
      result.changed = Object.keys(set);
      result.warnings.push(...gateWarnings(op, result.changed, row.fields, live));
      io.beforeWrite?.(row, result.before, result.changed);
      return writeAndVerify(io.client, op, row, set, set, work);
    });
}
