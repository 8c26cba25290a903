import type { OdinClient, RequestTracker } from '../client/odin-client.js';
import { RowFailure } from '../client/row-failure.js';
import type { FieldValue, Fields } from '../model/fields.js';
import { blankResult, type RowResult, type RowTarget } from '../model/row-result.js';
import { coerceValue } from '../operations/coerce-value.js';
import { describeMissing, missingFields, sameFieldValue } from '../operations/live-values.js';
import { manifestCell } from '../report/csv-cell.js';
import type { OperationDef } from '../operations/types.js';
import { prefetchedLive } from './prefetched-live.js';

/*
 * The pieces every step is built from: read the live values, compare, write and verify. The reading of Odin's
 * answers is operations/live-values.ts (readLiveFields, sameFieldValue); the failure classification is the client's.
 */

/** What a step's body works with: the row's result so far (status `failed` until it says otherwise) and its request counters. */
export type RowWork = { result: RowResult; track: RequestTracker };

/**
 * Runs one row's work with its own request counters. The body returns the rest of the result (its status and
 * what it found); a request that failed for good becomes a `failed` result with the error's code. Never throws
 * for a request failure.
 */
export async function rowStep(row: RowTarget, body: (work: RowWork) => Promise<Partial<RowResult>>): Promise<RowResult> {
  const work: RowWork = { result: blankResult(row, 'failed'), track: { requests: 0, retries: 0 } };
  let patch: Partial<RowResult>;
  try {
    patch = await body(work);
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    patch = { status: 'failed', error: error.message, errorCode: error.code, httpStatus: error.status };
  }
  return { ...work.result, ...patch, requests: work.track.requests };
}

/**
 * The target's live values, as the client reads them (readLiveFields): a GET, or none when its group's read gave
 * them already (`row.prefetched`; a user it says lacks the service fails NOT_ASSIGNED, as the GET would).
 */
export async function readLive(client: OdinClient, op: OperationDef, row: RowTarget, track: RequestTracker): Promise<Fields> {
  return row.prefetched ? prefetchedLive(row.prefetched) : client.read(op, row.key, track);
}

/**
 * The live values of the fields `wanted` names. Values come read by the client (an unset nullable field is
 * already null); a field the server did not return stays out, so no report claims it was null.
 */
export function pick(values: Fields, wanted: Fields): Fields {
  const out: Fields = {};
  for (const f of Object.keys(wanted)) if (Object.hasOwn(values, f)) out[f] = values[f]!;
  return out;
}

/** The fields of `wanted` whose live value differs, compared in the field's type (4500 equals "4500"). */
export function differing(op: OperationDef, live: Fields, wanted: Fields, fields: readonly string[] = Object.keys(wanted)): string[] {
  return fields.filter((f) => !sameFieldValue(op, f, live[f], wanted[f]));
}

/** The result of a row whose live answer lacks fields it sets that cannot be null, or undefined when it has them all. */
export function notReturned(op: OperationDef, live: Fields, wanted: Fields): Partial<RowResult> | undefined {
  const missing = missingFields(live, wanted);
  if (!missing.length) return undefined;
  return {
    status: 'failed',
    errorCode: 'FIELD_MISSING',
    error: `not written: the server's answer has no ${describeMissing(op, missing)}; this server cannot be checked for that value (odin-bulk doctor shows which fields it returns)`,
  };
}

/**
 * The result of a row about to change fields of which one holds a live value that is not one of the field's values
 * (`"isActive": 1`, an enum value the API does not list, a number out of the field's range), or undefined when each
 * can be put back. Written over, that value would go into rollback.csv as its cell, which the manifest check refuses:
 * the change could not be undone with the run's own rollback. So nothing is written (a plan does not plan it).
 */
export function unrestorable(op: OperationDef, live: Fields, fields: readonly string[]): Partial<RowResult> | undefined {
  const problems = fields.flatMap((f) => {
    const spec = op.fields[f];
    const value = live[f];
    if (!spec || value === undefined || value === null) return [];
    const checked = coerceValue(spec, manifestCell(spec, value));
    return checked.ok ? [] : [`${f} is ${JSON.stringify(value)} (${checked.message})`];
  });
  if (!problems.length) return undefined;
  return {
    status: 'failed',
    errorCode: 'BAD_RESPONSE',
    error: `not written: the server's ${problems.join('; ')}: rollback.csv could not put that value back, so the change could not be undone`,
  };
}

/**
 * PUTs `diff`, then checks the server holds `wanted`: from the PUT's answer, or (when the answer carries no
 * settings, or lacks a field the row sets) a GET, with a warning saying so. Returns the after values of the row's
 * fields and the result: `updated`, or `failed` VERIFY naming each field that is not as asked.
 */
export async function writeAndVerify(
  client: OdinClient,
  op: OperationDef,
  row: RowTarget,
  diff: Fields,
  wanted: Fields,
  { result, track }: RowWork,
): Promise<Partial<RowResult>> {
  const { settings: answered, said } = await client.write(op, row.key, diff, track);
  let after = answered;
  if (!after) {
    const saying = said === undefined ? '' : ` (it said: ${said})`;
    result.warnings.push(`the PUT's answer did not hold this target's updated settings${saying}; after values were read back with GET`);
    after = await client.read(op, row.key, track);
  } else {
    const lacking = missingFields(after, wanted);
    if (lacking.length) {
      result.warnings.push(`the PUT's answer has no ${lacking.join(', ')}; after values were read back with GET`);
      after = await client.read(op, row.key, track);
    }
  }
  result.after = pick(after, row.fields);
  const wrong = differing(op, after, wanted);
  if (!wrong.length) return { status: 'updated' };
  const detail = wrong.map((f) => `${f} is ${show(after[f])}, expected ${show(wanted[f])}`);
  const answerSaid = said === undefined ? '' : `; the PUT's answer said: ${said}`;
  return { status: 'failed', errorCode: 'VERIFY', error: `the server accepted the update but ${detail.join('; ')}${answerSaid}` };
}

/** A value in a message: JSON, or `not returned`. */
export function show(v: FieldValue | undefined): string {
  return v === undefined ? 'not returned' : JSON.stringify(v);
}
