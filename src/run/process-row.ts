import { RowFailure, type OdinClient, type RequestTracker } from '../client/odin-client.js';
import { coerceValue } from '../operations/coerce-value.js';
import type { Fields, FieldValue, OperationDef } from '../operations/types.js';
import type { ManifestRow } from '../manifest/types.js';
import type { EarlierWrite } from '../report/write-log.js';
import { REPORT_FILES } from '../report/report-writer.js';
import { gateWarnings } from './gate-warnings.js';
import { blankResult, type RowResult } from './row-result.js';

export type RowOptions = {
  op: OperationDef;
  /** Read and compare only: rows become `planned` or `unchanged`. */
  dryRun: boolean;
  /** A row whose change would have no effect because a gate is off is `invalid` and not written. */
  strictGates: boolean;
  /** Called just before a PUT is sent, with the values before this run touched the fields it changes (writes.ndjson). */
  recordWrite?: (row: ManifestRow, before: Fields, changed: readonly string[]) => void;
};

/**
 * One row: read the live values, compare, write only what differs, check the answer. Never throws.
 * `earlier` is a PUT an interrupted attempt sent for this row (resume): the fields it changed keep their
 * original values as "before", and a row it already set as requested is reported `updated`, not `unchanged`.
 */
export async function processRow(row: ManifestRow, client: OdinClient, options: RowOptions, earlier?: EarlierWrite): Promise<RowResult> {
  const { op } = options;
  const track: RequestTracker = { requests: 0, retries: 0 };
  const result: RowResult = blankResult(row, 'failed');
  const finish = (patch: Partial<RowResult>): RowResult => ({ ...result, ...patch, requests: track.requests });
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
  try {
    const live = await client.read(op, row.key, track);
    result.before = original(live);
    const differing = Object.keys(row.fields).filter((f) => !sameValue(op, f, live[f], row.fields[f]));
    result.changed = [...sentEarlier, ...differing.filter((f) => !sentEarlier.includes(f))];
    if (differing.length === 0) {
      if (!sentEarlier.length) return finish({ status: 'unchanged', after: result.before });
      result.warnings.push(`already as requested: the interrupted attempt's PUT had been applied (before values from ${REPORT_FILES.writes})`);
      return finish({ status: 'updated', after: pick(live, row.fields) });
    }

    result.warnings = gateWarnings(op, differing, row.fields, live);
    if (options.strictGates && result.warnings.length) {
      return finish({ status: 'invalid', error: `not written (--strict-gates): ${result.warnings.join('; ')}` });
    }
    if (options.dryRun) return finish({ status: 'planned' });

    const diff: Fields = Object.fromEntries(differing.map((f) => [f, row.fields[f]]));
    options.recordWrite?.(row, result.before, differing);
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
