import { coerceValue } from './coerce-value.js';
import { perFieldTable } from './field-lookup.js';
import type { FieldSpec, FieldValue, Fields, OperationDef } from './types.js';

/**
 * The one reading of a live answer (a GET's body, a PUT's answer, an item's `data` of a bulk read, a service's
 * section of `/users/services/settings`) as the operation's fields, used by every reader: compare, verify, reports,
 * rollback, plan, resume and export.
 *
 * - A field that may be cleared (`nullable`) whose key is missing reads as `null`: Odin leaves unset values out
 *   of its answers (`{"isActive": false}` = no forwarding number). So does an empty text (BroadWorks text is
 *   at least 1 character, so "" cannot be a value that is set).
 * - A value the field accepts is turned into its wire type: `"forwardToPhoneNumber": 4500` reads as `"4500"`,
 *   `"true"` as `true`, so it equals the manifest cell `4500` and is written back as Odin takes it.
 * - A value the field does not accept is kept as the server sent it (it shows in the reports, never matches).
 * - A field that may not be null whose key is missing stays out: the server did not return it (an older release,
 *   or a different endpoint). See `missingFields`.
 * Keys that are not the operation's fields (userId, serviceProviderId, extras) are left out. Pure.
 */
export function readLiveFields(op: OperationDef, body: Readonly<Record<string, unknown>>): Fields {
  const out: Fields = {};
  for (const [name, read] of fieldReaders(op)) {
    const value = read(Object.hasOwn(body, name) ? body[name] : undefined);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Reads one value of an answer for one field: `readValue` with that field's spec. */
type Reader = (value: unknown) => FieldValue | undefined;

/** The operation's fields, each with its reader, made once per table (two answers are read per row). */
const fieldReaders = perFieldTable((fields): ReadonlyArray<readonly [string, Reader]> => Object.entries(fields).map(([name, spec]) => [name, readerOf(spec)] as const));

/**
 * `readValue` for one field, with a shortcut: a boolean of a boolean field, a number of an integer field and a text of
 * an enum field read as themselves, since coerceValue either takes such a value unchanged or refuses it, and a refused
 * value is kept as the server sent it. Anything else (a text "5" of an integer field, null, an absent key) goes
 * through readValue.
 */
function readerOf(spec: FieldSpec): Reader {
  const read: Reader = (value) => readValue(spec, value);
  const own = ({ boolean: 'boolean', integer: 'number', enum: 'string' } as Partial<Record<FieldSpec['kind'], string>>)[spec.kind];
  return own === undefined ? read : (value) => (typeof value === own ? (value as FieldValue) : read(value));
}

/** One value of an answer, read as `readLiveFields` does; undefined = not returned. */
export function readValue(spec: FieldSpec, value: unknown): FieldValue | undefined {
  if (value === undefined || (value === '' && isNullable(spec))) return isNullable(spec) ? null : undefined;
  if (value !== null && typeof value === 'object') return undefined; // not a single value: not this field's
  const coerced = coerceValue(spec, value);
  if (coerced.ok) return coerced.value;
  return value as FieldValue;
}

/** True when the body holds at least one of the operation's fields (an answer that carries the settings). */
export function holdsSettings(op: OperationDef, body: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(op.fields).some((name) => Object.hasOwn(body, name) && body[name] !== undefined);
}

/** The fields of `wanted` the live values lack: ones that cannot be null and were not returned by the server. */
export function missingFields(live: Fields, wanted: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(wanted).filter((f) => !Object.hasOwn(live, f));
}

export function isNullable(spec: FieldSpec | undefined): boolean {
  return spec?.kind === 'string' && spec.nullable === true;
}

/**
 * Compares in the field's type, both sides read as `readValue` reads them, so 4500 equals "4500", "true" equals
 * true and an absent nullable value equals null. An absent non-nullable value equals nothing.
 */
export function sameFieldValue(op: OperationDef, field: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const spec = op.fields[field];
  const left = spec ? readValue(spec, a) : a;
  const right = spec ? readValue(spec, b) : b;
  return left !== undefined && right !== undefined && left === right;
}

/** How reports say which fields the server did not return, with the release that added them where known. */
export function describeMissing(op: OperationDef, fields: readonly string[]): string {
  return fields
    .map((f) => {
      const release = op.fields[f]?.release;
      return release ? `${f} (added in BroadWorks ${release}: the server may run an older release)` : f;
    })
    .join(', ');
}
