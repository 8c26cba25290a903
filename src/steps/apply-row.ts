import { RowFailure, type OdinClient, type RequestTracker } from '../client/odin-client.js';
import { missingFields } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';
import { gateWarnings } from '../operations/gate-warnings.js';
import { fieldMissing, pick, sameValue, verifyFailure, writeAndReadBack } from './process-row.js';
import { blankResult, type RowResult } from '../model/row-result.js';
import type { ApplyRow } from '../sources/plan-rows.js';

export type ApplyRowOptions = {
  op: OperationDef;
  /** Write planned rows even when a planned field changed since the plan. */
  force: boolean;
};

/**
 * One plan row: read the user again; when a field the plan sets no longer holds the value the plan was made
 * from, the row is a `conflict` and nothing is written (unless forced); otherwise PUT exactly the plan's
 * `set` and check the answer. Rows the plan does not change send nothing. Never throws on a request failure.
 */
export async function applyRow(row: ApplyRow, client: OdinClient, options: ApplyRowOptions): Promise<RowResult> {
  const { op } = options;
  const { plan } = row;
  const track: RequestTracker = { requests: 0, retries: 0 };
  const result: RowResult = blankResult(row, 'failed');
  const finish = (patch: Partial<RowResult>): RowResult => ({ ...result, ...patch, requests: track.requests });
  if (!plan.set) {
    if (plan.status === 'unchanged') return finish({ status: 'unchanged', before: plan.before, after: plan.before });
    return finish({ status: 'skipped', error: `not in the plan: the row was ${plan.status} when planned${plan.error ? ` (${plan.error})` : ''}` });
  }
  const set = plan.set;
  const planned = plan.before ?? {};
  try {
    const live = await client.read(op, row.key, track);
    result.before = pick(live, row.fields);
    const notReturned = missingFields(live, set);
    if (notReturned.length) return finish(fieldMissing(op, notReturned));
    const drift = (fields: string[]) =>
      fields.filter((f) => !sameValue(op, f, live[f], planned[f] ?? null)).map((f) => `${f} is ${show(live[f])}, the plan was made from ${show(planned[f])}`);
    // Already at the planned values (e.g. an apply run again after an interruption): nothing to write.
    if (Object.keys(set).every((f) => sameValue(op, f, live[f], set[f]!))) {
      return finish({ status: 'unchanged', after: result.before });
    }
    const conflicts = drift(Object.keys(set));
    if (conflicts.length && !options.force) {
      return finish({ status: 'conflict', errorCode: 'CONFLICT', after: result.before, error: `changed since the plan, not written: ${conflicts.join('; ')} (re-plan, or apply --force)` });
    }
    if (conflicts.length) result.warnings.push(`written with --force despite changes since the plan: ${conflicts.join('; ')}`);
    const unplanned = drift(Object.keys(planned).filter((f) => !(f in set)));
    if (unplanned.length) result.warnings.push(`a field the plan leaves alone changed since the plan: ${unplanned.join('; ')}`);
    result.changed = Object.keys(set);
    result.warnings.push(...gateWarnings(op, result.changed, row.fields, live));

    const after = await writeAndReadBack(client, op, row.key, set, set, track, result.warnings);
    result.after = pick(after, row.fields);
    const wrong = Object.keys(set).filter((f) => !sameValue(op, f, after[f], set[f]!));
    if (wrong.length) return finish(verifyFailure(wrong, after, set));
    return finish({ status: 'updated' });
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return finish({ status: 'failed', error: error.message, errorCode: error.code, httpStatus: error.status });
  }
}

function show(v: unknown): string {
  return v === undefined ? 'not returned' : JSON.stringify(v);
}
