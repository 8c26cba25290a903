import { RowFailure, type OdinClient, type RequestTracker } from '../client/odin-client.js';
import { coerceValue } from '../operations/coerce-value.js';
import type { Fields, FieldValue, OperationDef } from '../operations/types.js';
import type { ManifestRow } from '../manifest/types.js';
import { gateWarnings } from './gate-warnings.js';
import { blankResult, type RowResult } from './row-result.js';

export type RowOptions = {
  op: OperationDef;
  /** Read and compare only: rows become `planned` or `unchanged`. */
  dryRun: boolean;
  /** A row whose change would have no effect because a gate is off is `invalid` and not written. */
  strictGates: boolean;
};

/** One row: read the live values, compare, write only what differs, check the answer. Never throws. */
export async function processRow(row: ManifestRow, client: OdinClient, options: RowOptions): Promise<RowResult> {
  const { op } = options;
  const track: RequestTracker = { requests: 0, retries: 0 };
  const result: RowResult = blankResult(row, 'failed');
  const finish = (patch: Partial<RowResult>): RowResult => ({ ...result, ...patch, attempts: track.requests });
  try {
    const live = await client.read(op, row.key, track);
    result.before = pick(live, row.fields);
    result.changed = Object.keys(row.fields).filter((f) => !sameValue(op, f, live[f], row.fields[f]));
    if (result.changed.length === 0) return finish({ status: 'unchanged', after: result.before });

    result.warnings = gateWarnings(op, result.changed, row.fields, live);
    if (options.strictGates && result.warnings.length) {
      return finish({ status: 'invalid', error: `not written (--strict-gates): ${result.warnings.join('; ')}` });
    }
    if (options.dryRun) return finish({ status: 'planned' });

    const diff: Fields = Object.fromEntries(result.changed.map((f) => [f, row.fields[f]]));
    let answered = await client.write(op, row.key, diff, track);
    if (!answered) {
      // Some Odin endpoints answer 2xx with no body or []: read the result back rather than guess.
      result.warnings.push('the PUT answered without the updated settings; after values were read back with GET');
      answered = await client.read(op, row.key, track);
    }
    result.after = pick(answered, row.fields);
    const wrong = Object.keys(row.fields).filter((f) => !sameValue(op, f, answered[f], row.fields[f]));
    if (wrong.length) {
      const detail = wrong.map((f) => `${f} is ${JSON.stringify(answered[f])}, expected ${JSON.stringify(row.fields[f])}`);
      return finish({ status: 'failed', errorCode: 'VERIFY', error: `the server accepted the update but ${detail.join('; ')}` });
    }
    return finish({ status: 'updated' });
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return finish({ status: 'failed', error: error.message, errorCode: error.code, httpStatus: error.status });
  }
}

export function pick(values: Fields, wanted: Fields): Fields {
  const out: Fields = {};
  for (const f of Object.keys(wanted)) out[f] = f in values ? values[f] : null;
  return out;
}

/** Compares in the field's type, so a server that answers "true" or "5" still matches true or 5. */
export function sameValue(op: OperationDef, field: string, live: FieldValue | undefined, wanted: FieldValue): boolean {
  if (live === wanted) return true;
  const spec = op.fields[field];
  if (live === undefined || !spec) return false;
  const coerced = coerceValue(spec, live);
  return coerced.ok && coerced.value === wanted;
}
