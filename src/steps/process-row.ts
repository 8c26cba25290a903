import { RowFailure, type OdinClient, type RequestTracker } from '../client/odin-client.js';
import { describeMissing, missingFields, sameFieldValue } from '../operations/live-values.js';
import type { Fields, FieldValue, OperationDef } from '../operations/types.js';
import type { ManifestRow } from '../manifest/types.js';
import type { EarlierWrite } from '../records/write-log.js';
import { REPORT_FILES } from '../records/report-files.js';
import { gateWarnings } from '../operations/gate-warnings.js';
import { blankResult, type RowResult } from '../model/row-result.js';

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
    const notReturned = missingFields(live, row.fields);
    if (notReturned.length) return finish(fieldMissing(op, notReturned));
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
    const answered = await writeAndReadBack(client, op, row.key, diff, row.fields, track, result.warnings);
    result.after = pick(answered, row.fields);
    const wrong = Object.keys(row.fields).filter((f) => !sameValue(op, f, answered[f], row.fields[f]));
    if (wrong.length) return finish(verifyFailure(wrong, answered, row.fields));
    return finish({ status: 'updated' });
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return finish({ status: 'failed', error: error.message, errorCode: error.code, httpStatus: error.status });
  }
}

/**
 * The live values of the fields `wanted` names. Values come read by the client (readLiveFields: an unset
 * nullable field is already null); a field the server did not return stays out, so no report claims it was null.
 */
export function pick(values: Fields, wanted: Fields): Fields {
  const out: Fields = {};
  for (const f of Object.keys(wanted)) if (Object.hasOwn(values, f)) out[f] = values[f]!;
  return out;
}

/** Compares in the field's type: 4500 equals "4500", "true" equals true, an unset nullable field equals null. */
export function sameValue(op: OperationDef, field: string, live: FieldValue | undefined, wanted: FieldValue | undefined): boolean {
  return sameFieldValue(op, field, live, wanted);
}

/** A row whose live answer lacks fields it sets that cannot be null: not written (the systemic stop counts these). */
export function fieldMissing(op: OperationDef, fields: readonly string[]): Partial<RowResult> {
  return {
    status: 'failed',
    errorCode: 'FIELD_MISSING',
    error: `not written: the server's answer has no ${describeMissing(op, fields)}; this server cannot be checked for that value (odin-bulk doctor shows which fields it returns)`,
  };
}

export function verifyFailure(wrong: readonly string[], answered: Fields, wanted: Fields): Partial<RowResult> {
  const show = (v: FieldValue | undefined) => (v === undefined ? 'not returned' : JSON.stringify(v));
  const detail = wrong.map((f) => `${f} is ${show(answered[f])}, expected ${show(wanted[f])}`);
  return { status: 'failed', errorCode: 'VERIFY', error: `the server accepted the update but ${detail.join('; ')}` };
}

/**
 * PUTs `diff` and returns the settings after it: the PUT's answer, or (when the answer carries no settings, or
 * lacks a field the row sets) a GET, with a warning saying so. Some Odin endpoints answer 2xx with no body or [].
 */
export async function writeAndReadBack(
  client: OdinClient,
  op: OperationDef,
  key: Record<string, string>,
  diff: Fields,
  wanted: Fields,
  track: RequestTracker,
  warnings: string[],
): Promise<Fields> {
  const answered = await client.write(op, key, diff, track);
  if (!answered) {
    warnings.push('the PUT answered without the updated settings; after values were read back with GET');
    return client.read(op, key, track);
  }
  const lacking = missingFields(answered, wanted);
  if (lacking.length === 0) return answered;
  warnings.push(`the PUT's answer has no ${lacking.join(', ')}; after values were read back with GET`);
  return client.read(op, key, track);
}
