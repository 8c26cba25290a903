import type { Fields } from '../model/fields.js';
import { namesOf } from '../operations/coerce-value.js';
import { compareNames } from '../operations/service-names.js';
import type { OperationDef } from '../operations/types.js';
import type { PlannedRow } from '../sources/plan-rows.js';
import { readServices, statesOf, unassignWarnings, writeNames, type AssignmentRow } from './assign-services.js';
import { notPlanned } from './apply-planned.js';
import { rowStep } from './row-pieces.js';
import type { Step } from './step.js';

/**
 * `apply`'s step for `user-services`: read the user's services again (or the licence check's read); when a list the
 * plan changes no longer holds the assigned names the plan was made from, the row is a `conflict` and nothing is
 * written (unless `force`); otherwise PUT only the names still to change and verify. Rows the plan does not change
 * send nothing.
 */
export function applyAssignment({ op, force }: { op: OperationDef; force: boolean }): Step<PlannedRow & AssignmentRow> {
  return (row, io) =>
    rowStep(row, async (work) => {
      const { result, track } = work;
      const { planned } = row;
      if (planned.status !== 'planned') return notPlanned(planned);
      const set: Fields = Object.fromEntries(planned.changed.map((f) => [f, planned.requested[f] ?? null]));
      const from = planned.before ?? {};
      const compared = compareNames(op, set, statesOf(await readServices(row, io.client, row.key.userId!, track)));
      result.before = compared.before;
      const licence = row.prepared?.licence;
      if (compared.unknown.length) {
        return { status: 'failed', errorCode: 'UNKNOWN_NAME', error: `not written: ${compared.unknown.map((u) => u.message).join('; ')}`, after: compared.before };
      }
      // Already as planned (e.g. an apply run again after an interruption): nothing to write.
      if (compared.changed.length === 0) return { status: 'unchanged', after: compared.before };
      const conflicts = Object.keys(set)
        .filter((f) => !sameNames(compared.before[f], from[f]))
        .map((f) => `${f}: assigned now ${show(compared.before[f])}, the plan was made from ${show(from[f])}`);
      if (conflicts.length && !force) {
        return { status: 'conflict', errorCode: 'CONFLICT', after: compared.before, error: `changed since the plan, not written: ${conflicts.join('; ')} (re-plan, or apply --force)` };
      }
      if (licence && 'refused' in licence) return { status: 'failed', errorCode: 'NO_LICENCE', error: licence.refused, after: compared.before };
      if (licence && 'skipped' in licence) return { status: 'skipped', error: licence.skipped, after: compared.before };
      if (conflicts.length) result.warnings.push(`written with --force despite changes since the plan: ${conflicts.join('; ')}`);
      result.changed = compared.changed;
      result.warnings.push(...unassignWarnings(op, compared));
      return writeNames(io, op, row, compared, set, work);
    });
}

/** The same names, in any order (a before value: the names of a list that were assigned). */
function sameNames(a: unknown, b: unknown): boolean {
  const x = namesOf(a).sort();
  const y = namesOf(b).sort();
  return x.length === y.length && x.every((n, i) => n === y[i]);
}

function show(v: unknown): string {
  return v === undefined ? 'not recorded' : v === '' ? 'none' : JSON.stringify(v);
}
