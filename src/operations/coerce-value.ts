import { distance } from 'fastest-levenshtein';
import type { FieldSpec, FieldValue, TextFormat } from './types.js';

export type Coerced = { ok: true; value: FieldValue } | { ok: false; message: string };

const fail = (message: string): Coerced => ({ ok: false, message });

/**
 * Turns a manifest cell (string from CSV) or a JSON value into the field's wire type, or says why it cannot.
 * Pure. The simulator checks values with its own table (src/simulator/broadworks-rules.ts), not with this:
 * test/integration/contract/rules-agree.test.ts shows both accept and refuse the same values.
 */
export function coerceValue(spec: FieldSpec, raw: unknown): Coerced {
  if (spec.kind === 'names') return coerceNames(raw);
  if (raw === null) {
    return spec.kind === 'string' && spec.nullable ? { ok: true, value: null } : fail('null is not allowed here');
  }
  if (typeof raw === 'object') return fail(`expected a single value, got ${Array.isArray(raw) ? 'a list' : 'an object'}`);
  switch (spec.kind) {
    case 'boolean':
      return coerceBoolean(raw);
    case 'integer':
      return coerceInteger(spec, raw);
    case 'enum':
      return coerceEnum(spec.values, raw);
    case 'string':
      return coerceString(spec, raw);
  }
}

/** BroadWorks service and service pack names: 1–80 characters (OCI-P UserService, ServicePackName). */
const NAME_MAX = 80;

/**
 * A list of service (or pack) names: `;`-separated text (a CSV cell) or a JSON list of texts, held as the names
 * trimmed and joined by `;`. Refused: an empty name, a name twice (also when only its case differs), a name with
 * `;` in it (JSON), a name longer than 80 characters, an empty list.
 */
function coerceNames(raw: unknown): Coerced {
  let names: string[];
  if (typeof raw === 'string') names = raw.split(';').map((n) => n.trim());
  else if (Array.isArray(raw)) {
    const bad = raw.find((n) => typeof n !== 'string');
    if (bad !== undefined) return fail(`expected a list of service names (texts), got ${show(bad)} in it`);
    names = (raw as string[]).map((n) => n.trim());
    const withSemicolon = names.find((n) => n.includes(';'));
    if (withSemicolon !== undefined) return fail(`"${withSemicolon}": a name cannot contain ';' (in JSON, give one name per list item)`);
  } else return fail(`expected service names separated by ';' (or a JSON list of them), got ${show(raw)}`);
  if (names.length === 0) return fail('the list names no service: leave the field out instead');
  if (names.some((n) => n === '')) {
    return fail(typeof raw === 'string' ? `an empty name in "${raw}": names are separated by ';' with nothing empty between them` : 'an empty name in the list');
  }
  const long = names.find((n) => n.length > NAME_MAX);
  if (long !== undefined) return fail(`"${long.slice(0, 40)}…" is longer than ${NAME_MAX} characters: not a BroadWorks service name`);
  const seen = new Map<string, string>();
  for (const n of names) {
    const first = seen.get(n.toLowerCase());
    if (first !== undefined) return fail(first === n ? `"${n}" is named twice` : `"${first}" and "${n}" are one name written twice`);
    seen.set(n.toLowerCase(), n);
  }
  return { ok: true, value: names.join(';') };
}

/** The names a `names` value holds (the `;`-joined text coerceValue makes), in order; none for an empty or absent value. */
export function namesOf(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(';') : [];
}

function coerceBoolean(raw: unknown): Coerced {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (typeof raw === 'string') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true') return { ok: true, value: true };
    if (lower === 'false') return { ok: true, value: false };
  }
  return fail(`expected true or false, got ${show(raw)}`);
}

function coerceInteger(spec: { min: number; max: number; exclude?: readonly number[] }, raw: unknown): Coerced {
  let n: number;
  // The messages are made only for a value that is refused: every live value of every row comes through here.
  const allowed = () => describeRange(spec);
  const whole = () => fail(`expected a whole number ${spec.exclude?.length ? `(${allowed()})` : `from ${allowed()}`}, got ${show(raw)}`);
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) n = Number(raw);
  else return whole();
  if (!Number.isSafeInteger(n)) return whole();
  if (n < spec.min || n > spec.max) return fail(`${n} is out of range: expected ${allowed()}`);
  if (spec.exclude?.includes(n)) return fail(`${n} is not allowed: expected ${allowed()}`);
  return { ok: true, value: n };
}

/** `0 to 20`, or with exclusions `0 or 2 to 20`. */
export function describeRange(spec: { min: number; max: number; exclude?: readonly number[] }): string {
  const parts: Array<[number, number]> = [];
  let start = spec.min;
  for (const x of [...(spec.exclude ?? [])].filter((v) => v >= spec.min && v <= spec.max).sort((a, b) => a - b)) {
    if (x > start) parts.push([start, x - 1]);
    start = x + 1;
  }
  if (start <= spec.max) parts.push([start, spec.max]);
  const words = parts.map(([a, b]) => (a === b ? String(a) : `${a} to ${b}`));
  return words.length <= 1 ? (words[0] ?? 'none') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function coerceEnum(values: readonly string[], raw: unknown): Coerced {
  if (typeof raw === 'string' && values.includes(raw)) return { ok: true, value: raw };
  const hint = typeof raw === 'string' ? suggest(raw, values) : undefined;
  const allowed = values.map((v) => `'${v}'`).join(', ');
  return fail(`${show(raw)} is not allowed${hint ? `: did you mean '${hint}'?` : ''} (one of ${allowed}, exactly as written)`);
}

const FORMATS: Record<TextFormat, { pattern: RegExp; what: string }> = {
  phone: { pattern: /^[!-~]+$/, what: 'a phone number, extension or SIP URI without spaces' },
  dn: { pattern: /^[!-~]+$/, what: 'a phone number or extension without spaces' },
  email: { pattern: /^[^\s@]+@[^\s@]+$/, what: 'an email address (name@domain, no spaces)' },
};

function coerceString(spec: { minLength: number; maxLength: number; format?: TextFormat }, raw: unknown): Coerced {
  // Odin answers (and odins_spear sends) an all-digit phone number as a JSON number: 1509.
  if ((spec.format === 'phone' || spec.format === 'dn') && typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) raw = String(raw);
  if (typeof raw !== 'string') return fail(`expected text, got ${show(raw)}`);
  if (raw.length < spec.minLength || raw.length > spec.maxLength) {
    return fail(`expected ${spec.minLength} to ${spec.maxLength} characters, got ${raw.length}`);
  }
  const format = spec.format && FORMATS[spec.format];
  if (format && !format.pattern.test(raw)) return fail(`expected ${format.what}, got ${show(raw)}`);
  return { ok: true, value: raw };
}

/** How `odin-bulk operations` names a text format. */
export function describeFormat(format: TextFormat): string {
  return format === 'phone' ? 'phone number, extension or SIP URI' : format === 'dn' ? 'phone number or extension (no SIP URI)' : 'email address';
}

/** The closest candidate, when the input is a near miss (case, spacing or a typo or two). */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const exactish = candidates.find((c) => norm(c) === norm(input));
  if (exactish) return exactish;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(norm(input), norm(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(input.length / 4)) ? best : undefined;
}

function show(raw: unknown): string {
  const s = typeof raw === 'string' ? `"${raw}"` : String(raw);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
