import type { SimEndpoint, SimFields, SimValue } from './broadworks-rules.js';

/**
 * How the simulator shapes its answers.
 * - `odin` (the default): as Odin's documented answers show them (../shared/odin-samples/): a setting with no value
 *   is left out, not sent as null; an all-digit phone number or extension comes back as a JSON number (4500).
 * - `nulls`: every field, unset ones as null, numbers as text: the shape the simulator had before, kept to show the
 *   tool reads both.
 */
export type Dialect = 'odin' | 'nulls';
export const DIALECTS: readonly Dialect[] = ['odin', 'nulls'];

/** Unverified texts live in odin-texts.ts; re-exported here, where the tool's tests and docs have found it. */
export { serviceNotAssigned } from './odin-texts.js';

export type AnswerShape = { dialect: Dialect; release: number };

/** A target's answer: its fields the release has, shaped by the dialect, then the key fields. */
export function shapeAnswer(endpoint: SimEndpoint, fields: SimFields, keys: Record<string, unknown>, shape: AnswerShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(endpoint.fields)) {
    if (!inRelease(field, shape.release) || !Object.hasOwn(fields, name)) continue;
    const value = fields[name]!;
    if (shape.dialect === 'nulls') {
      out[name] = value;
      continue;
    }
    if (value === null) continue;
    out[name] = field.type === 'text' && (field.kind === 'dn' || field.kind === 'dn-or-uri') ? asOdinNumber(value) : value;
  }
  return { ...out, ...keys };
}

export function inRelease(field: { since?: number }, release: number): boolean {
  return field.since === undefined || field.since <= release;
}

/** "4500" → 4500, as Odin answers it; "+1555…", "0001", "sip:…" and digits beyond a safe integer stay text. */
function asOdinNumber(value: SimValue): SimValue {
  if (typeof value !== 'string' || !/^(0|[1-9]\d*)$/.test(value)) return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
