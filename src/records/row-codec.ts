import type { Problem } from '../manifest/types.js';
import type { FieldValue, Fields } from '../model/fields.js';
import { ROW_STATUSES, targetId, type RowErrorCode, type RowResult, type RowStatus, type StepOutcome } from '../model/row-result.js';
import { coerceValue, suggest } from '../operations/coerce-value.js';
import { fieldSpec } from '../operations/field-lookup.js';
import type { OperationDef } from '../operations/types.js';

/*
 * The one codec of a row (RowResult) on disk: results.json, journal.ndjson, plan.json and an export's JSON
 * manifest are written here and read back here, each read checked, so a damaged or foreign file is refused rather
 * than half-read. Older report folders stay readable: their rows say `attempts` where these say `requests`.
 */

// ─── results.json: one row per line, key fields at the top level ──────────────────────────────────────────────

/** A row as results.json has it: `{line, <key fields>, status, requested, before, after, changed, requests, error}` (+ httpStatus, warnings). */
export function encodeResultRow(r: RowResult): Record<string, unknown> {
  return {
    line: r.line,
    ...r.key,
    status: r.status,
    requested: r.requested,
    before: r.before,
    after: r.after,
    changed: r.changed,
    requests: r.requests,
    error: r.error ?? null,
    ...(r.httpStatus ? { httpStatus: r.httpStatus } : {}),
    ...(r.warnings.length ? { warnings: r.warnings } : {}),
    ...(r.steps ? { steps: r.steps } : {}),
  };
}

/** A results.json row back as a RowResult, or undefined when it is not one (no line, an unknown status, a key field missing). */
export function decodeResultRow(value: unknown, keyFields: readonly string[]): RowResult | undefined {
  if (!isObject(value)) return undefined;
  if (!Number.isInteger(value.line) || !ROW_STATUSES.includes(value.status as RowStatus)) return undefined;
  const key: Record<string, string> = {};
  for (const k of keyFields) {
    if (typeof value[k] !== 'string') return undefined;
    key[k] = value[k] as string;
  }
  const fields = (v: unknown): Fields | null => (isObject(v) ? (v as Fields) : null);
  return {
    line: value.line as number,
    key,
    id: targetId(keyFields, key),
    status: value.status as RowStatus,
    requested: fields(value.requested) ?? {},
    before: fields(value.before),
    after: fields(value.after),
    changed: strings(value.changed),
    requests: requestsOf(value),
    ...(typeof value.error === 'string' ? { error: value.error } : {}),
    ...(typeof value.httpStatus === 'number' ? { httpStatus: value.httpStatus } : {}),
    warnings: strings(value.warnings),
    ...(Array.isArray(value.steps) ? { steps: stepOutcomes(value.steps) } : {}),
  };
}

/**
 * A row's line of results.json (`redact` takes the secrets out) and the row that reading the line back gives (what
 * readResults would yield), without parsing the line when redacting changed nothing: a run builds its artefacts
 * from these as its rows pass. A line that would not read back says so: `unreadable`, as readResults would say.
 */
export function resultsJsonLine(r: RowResult, keyFields: readonly string[], redact: (text: string) => string): { line: string; row?: RowResult; unreadable?: 'row' | 'text' } {
  const encoded = encodeResultRow(r);
  const json = JSON.stringify(encoded);
  const line = redact(json);
  let value: unknown = encoded;
  if (line !== json) {
    try {
      value = JSON.parse(line);
    } catch {
      return { line, unreadable: 'text' };
    }
  }
  const row = decodeResultRow(value, keyFields);
  return row ? { line, row } : { line, unreadable: 'row' };
}

/** A row's step outcomes as results.json and the journal have them; an entry that is not one is left out. */
function stepOutcomes(list: unknown[]): StepOutcome[] {
  return list.filter(isObject).flatMap((o) =>
    typeof o.operation === 'string' && ROW_STATUSES.includes(o.status as RowStatus)
      ? [{
          operation: o.operation,
          status: o.status as RowStatus,
          changed: strings(o.changed),
          requests: typeof o.requests === 'number' ? o.requests : 0,
          ...(typeof o.error === 'string' ? { error: o.error } : {}),
          ...(typeof o.errorCode === 'string' ? { errorCode: o.errorCode as RowErrorCode } : {}),
          ...(typeof o.httpStatus === 'number' ? { httpStatus: o.httpStatus } : {}),
        }]
      : [],
  );
}

// ─── journal.ndjson: the whole RowResult, one per line, in completion order ───────────────────────────────────

export function encodeJournalLine(r: RowResult): string {
  return JSON.stringify(r);
}

/** A journal line back as a RowResult; a line that is not one says why. */
export function decodeJournalLine(text: string): RowResult | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isObject(value) || !Number.isInteger(value.line) || typeof value.id !== 'string' || !ROW_STATUSES.includes(value.status as RowStatus)) {
    return { problem: 'not a row result (line, id and status expected)' };
  }
  const { attempts: _older, ...rest } = value;
  return {
    ...(rest as unknown as RowResult),
    key: isObject(value.key) ? (value.key as Record<string, string>) : {},
    requested: isObject(value.requested) ? (value.requested as Fields) : {},
    changed: strings(value.changed),
    warnings: strings(value.warnings),
    requests: requestsOf(value),
    ...(Array.isArray(value.steps) ? { steps: stepOutcomes(value.steps) } : {}),
  };
}

// ─── plan.json: one row per line, key fields beside `line`; `set` is exactly what apply will PUT ───────────────

/** A planned (or unchanged, failed…) row as a line of plan.json: `{line, <key fields>, status, before, set?, warnings?, error?}`. */
export function encodePlanRow(r: RowResult): string {
  const row: Record<string, unknown> = { line: r.line, ...r.key, status: r.status, before: r.before };
  if (r.status === 'planned') row.set = Object.fromEntries(r.changed.map((f) => [f, r.requested[f] ?? null]));
  if (r.warnings.length) row.warnings = r.warnings;
  if (r.error) row.error = r.error;
  // A job of steps: each step's status, for the reviewer (apply reads the plan's `set` and `before`).
  if (r.steps) row.steps = Object.fromEntries(r.steps.map((s) => [s.operation, s.status]));
  return JSON.stringify(row);
}

/**
 * A row of plan.json (`at` = its line in plan.json) back as the RowResult it was planned as: `requested` is the
 * values it was planned from with the planned ones over them, `changed` the fields it sets. A plan is a reviewed
 * artefact, maybe edited by hand, so every value apply would send must be exactly a valid wire value. Pure.
 */
export function decodePlanRow(raw: unknown, at: number, op: OperationDef, file: string): { row?: RowResult; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string | undefined, message: string) => problems.push({ file, line: at, field, message });
  if (!isObject(raw)) {
    bad(undefined, 'a plan row must be an object');
    return { problems };
  }
  if (!Number.isInteger(raw.line) || (raw.line as number) < 1) bad('line', 'must be the manifest line number');
  const key: Record<string, string> = {};
  for (const name of op.keyFields) {
    const v = raw[name];
    if (typeof v !== 'string' || v === '' || /\s/.test(v)) bad(name, `must be a non-empty ${name} without white space`);
    else key[name] = v;
  }
  const status = raw.status as RowStatus;
  if (!ROW_STATUSES.includes(status)) bad('status', `unknown status ${JSON.stringify(raw.status)}`);
  const before = raw.before === null ? null : planFields(raw.before, 'before', op, bad, false);
  let set: Fields | undefined;
  if (status === 'planned') {
    set = planFields(raw.set, 'set', op, bad, true);
    if (set && Object.keys(set).length === 0) bad('set', 'a planned row must set at least one field');
    if (set && before === null) bad('before', 'a planned row needs the before values it was planned from');
  } else if (raw.set !== undefined) bad('set', `only a planned row has "set" (this row is ${String(raw.status)})`);
  if (problems.length) return { problems };
  const row: RowResult = {
    line: raw.line as number,
    key,
    id: targetId(op.keyFields, key),
    status,
    requested: { ...before, ...set },
    before: before ?? null,
    after: null,
    changed: set ? Object.keys(set) : [],
    requests: 0,
    warnings: strings(raw.warnings),
    ...(typeof raw.error === 'string' ? { error: raw.error } : {}),
  };
  return { row, problems };
}

function planFields(
  value: unknown,
  name: string,
  op: OperationDef,
  bad: (field: string | undefined, message: string) => void,
  strict: boolean,
): Fields | undefined {
  if (!isObject(value)) {
    bad(name, 'must be an object of field values');
    return undefined;
  }
  const out: Fields = {};
  for (const [field, v] of Object.entries(value)) {
    const spec = fieldSpec(op, field);
    if (!spec) {
      const hint = suggest(field, Object.keys(op.fields));
      bad(`${name}.${field}`, `unknown field for ${op.name}${hint ? `: did you mean "${hint}"?` : ''}`);
      continue;
    }
    if (!strict) {
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[field] = v as FieldValue;
      else bad(`${name}.${field}`, 'must be a single value');
      continue;
    }
    // What apply sends must already be the wire value: "true" (text) for a boolean is refused, not guessed.
    const coerced = coerceValue(spec, v);
    if (!coerced.ok) bad(`${name}.${field}`, coerced.message);
    else if (coerced.value !== v) bad(`${name}.${field}`, `must be ${JSON.stringify(coerced.value)}, not ${JSON.stringify(v)} (a JSON ${typeof coerced.value})`);
    else out[field] = coerced.value;
  }
  return out;
}

// ─── an export's JSON manifest: one target per line, key fields then the exported fields ─────────────────────

export function encodeManifestRow(key: Readonly<Record<string, string>>, values: Readonly<Record<string, FieldValue>>): string {
  return JSON.stringify({ ...key, ...values });
}

// ─── shared ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Requests a row sent, in this version's name (`requests`) or an older folder's (`attempts`). */
function requestsOf(v: Record<string, unknown>): number {
  return typeof v.requests === 'number' ? v.requests : typeof v.attempts === 'number' ? v.attempts : 0;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
