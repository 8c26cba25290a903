import type { Fields } from '../model/fields.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import { gateWarnings } from '../operations/gate-warnings.js';
import type { OperationDef } from '../operations/types.js';
import { REPORT_FILES } from '../records/report-files.js';
import type { Step } from './step.js';
import { differing, notReturned, pick, readLive, rowStep, unrestorable, writeAndVerify } from './row-pieces.js';

export type CompareOptions = {
  op: OperationDef;
  /** Write what differs (run); otherwise only compare: rows become `planned` or `unchanged` (plan). */
  write: boolean;
  /** A row whose change would have no effect because a gate is off is `invalid` and not written. */
  strictGates: boolean;
};

/**
 * `run`'s step (and, without writing, `plan`'s): read the live values, compare, write only what differs, verify.
 * A PUT an interrupted attempt sent for the row (a resume: `io.earlier`) keeps the fields it changed at their values
 * from before it, and a row it already set as requested is reported `updated`, not `unchanged`.
 */
export function readCompareWrite({ op, write, strictGates }: CompareOptions): Step<RowTarget> {
  return (row, io) =>
    rowStep(row, async (work) => {
      const { result, track } = work;
      const earlier = io.earlier;
      // Fields an interrupted attempt's PUT may have set: their values before this run, whatever is read now.
      const sentEarlier = earlier ? earlier.changed.filter((f) => f in row.fields) : [];
      const original = (live: Fields): Fields => {
        const before = pick(live, row.fields);
        for (const f of sentEarlier) before[f] = earlier!.before[f] ?? null;
        return before;
      };
      if (sentEarlier.length) {
        // Should the read fail, the row still carries what the earlier PUT may have changed, for rollback.csv.
        result.before = original({});
        result.changed = [...sentEarlier];
      }
      const live = await readLive(io.client, op, row, track);
      result.before = original(live);
      const missing = notReturned(op, live, row.fields);
      if (missing) return missing;
      const diff = differing(op, live, row.fields);
      result.changed = [...sentEarlier, ...diff.filter((f) => !sentEarlier.includes(f))];
      if (diff.length === 0) return sameAsAsked(result, live, row, sentEarlier);
      const cannotUndo = unrestorable(op, live, diff);
      if (cannotUndo) return { ...cannotUndo, changed: sentEarlier };

      result.warnings = gateWarnings(op, diff, row.fields, live);
      if (strictGates && result.warnings.length) {
        return { status: 'invalid', error: `not written (--strict-gates): ${result.warnings.join('; ')}` };
      }
      if (!write) return { status: 'planned' };
      io.beforeWrite?.(row, result.before, diff);
      return writeAndVerify(io.client, op, row, Object.fromEntries(diff.map((f) => [f, row.fields[f]!])), row.fields, work);
    });
}

/** Nothing differs: unchanged, unless an interrupted attempt's PUT is what made it so. */
function sameAsAsked(result: RowResult, live: Fields, row: RowTarget, sentEarlier: readonly string[]): Partial<RowResult> {
  if (!sentEarlier.length) return { status: 'unchanged', after: result.before };
  result.warnings.push(`already as requested: the interrupted attempt's PUT had been applied (before values from ${REPORT_FILES.writes})`);
  return { status: 'updated', after: pick(live, row.fields) };
}
