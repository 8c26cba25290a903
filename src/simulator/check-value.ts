import { distance } from 'fastest-levenshtein';
import type { SimRule, SimValue, TextKind } from './broadworks-rules.js';

export type Checked = { ok: true; value: SimValue } | { ok: false; reason: string };

const refuse = (reason: string): Checked => ({ ok: false, reason });

/** Visible ASCII, no white space: what the simulator takes as a phone number, extension or SIP URI. */
const DN_CHARACTERS = /^[!-~]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Checks one value of a PUT against the simulator's rule for the field, as BroadWorks would, and returns the value
 * stored. JSON types are expected, with the leniency odins_spear's documented requests need: "true"/"false" for a
 * boolean, digits in a string for an integer, and an all-digit phone number as a JSON number. Pure.
 */
export function checkValue(rule: SimRule, raw: unknown): Checked {
  if (raw === null) return rule.type === 'text' && rule.nullable ? { ok: true, value: null } : refuse('null is not allowed (the field cannot be cleared)');
  if (typeof raw === 'object' || raw === undefined) return refuse('a single value is expected');
  switch (rule.type) {
    case 'bool':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { ok: true, value: raw.trim().toLowerCase() === 'true' };
      return refuse(`${JSON.stringify(raw)} is not a boolean`);
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      const allowed = ranges(rule.min, rule.max, rule.not ?? []);
      if (!Number.isSafeInteger(n)) return refuse(`${JSON.stringify(raw)} is not an integer (allowed: ${allowed})`);
      if (n < rule.min || n > rule.max || rule.not?.includes(n)) return refuse(`${n} is not allowed (allowed: ${allowed})`);
      return { ok: true, value: n };
    }
    case 'enum':
      if (typeof raw === 'string' && rule.values.includes(raw)) return { ok: true, value: raw };
      return refuse(`${JSON.stringify(raw)} is not one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}`);
    case 'text':
      return checkText(rule, raw);
  }
}

function checkText(rule: { min: number; max: number; kind?: TextKind }, raw: unknown): Checked {
  let value = raw;
  if ((rule.kind === 'dn' || rule.kind === 'dn-or-uri') && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) value = String(value);
  if (typeof value !== 'string') return refuse(`${JSON.stringify(raw)} is not text`);
  if (value.length < rule.min || value.length > rule.max) return refuse(`${value.length} characters, allowed ${rule.min} to ${rule.max}`);
  if ((rule.kind === 'dn' || rule.kind === 'dn-or-uri') && !DN_CHARACTERS.test(value)) return refuse(`${JSON.stringify(value)} is not a phone number`);
  if (rule.kind === 'email' && !EMAIL.test(value)) return refuse(`${JSON.stringify(value)} is not an e-mail address`);
  return { ok: true, value };
}

/** `0, 2-20` */
function ranges(min: number, max: number, not: readonly number[]): string {
  const parts: string[] = [];
  let start = min;
  for (const x of [...not].sort((a, b) => a - b)) {
    if (x > start) parts.push(start === x - 1 ? String(start) : `${start}-${x - 1}`);
    start = x + 1;
  }
  if (start <= max) parts.push(start === max ? String(start) : `${start}-${max}`);
  return parts.join(', ');
}

/** The known name closest to an unknown one, when it is a near miss (case, separators or a typo or two). */
export function closestName(input: string, names: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = distance(norm(input), norm(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= 2 ? best : undefined;
}
