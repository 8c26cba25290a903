/**
 * Characters a person cannot see in a cell, that come in by copy and paste: no-break and other odd spaces,
 * zero-width characters, a byte-order mark inside a cell, direction marks, soft hyphens, control characters.
 * Not the plain space (U+0020): that one is visible, and the checks of each field deal with it.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

const NAMES: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x0a: 'a line break',
  0x0d: 'a carriage return',
  0xa0: 'a no-break space',
  0xad: 'a soft hyphen',
  0x200b: 'a zero-width space',
  0x200c: 'a zero-width non-joiner',
  0x200d: 'a zero-width joiner',
  0x200e: 'a left-to-right mark',
  0x200f: 'a right-to-left mark',
  0x202f: 'a narrow no-break space',
  0x2060: 'a word joiner',
  0xfeff: 'a byte-order mark',
};

/** True when `text` holds a character that cannot be seen. */
export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text);
}

/** The text with each invisible character written as `\uXXXX`, so a message shows it: `Use\u00a0DN`. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** `"Use\u00a0DN" contains an invisible character (\u00a0, a no-break space)`, or undefined when there is none. */
export function invisibleProblem(text: string): string | undefined {
  if (!INVISIBLE.test(text)) return undefined; // the common case, without building the list below
  const found = [...new Set(text.match(INVISIBLE_ALL) ?? [])];
  if (found.length === 0) return undefined;
  const named = found.map((c) => {
    const code = c.codePointAt(0)!;
    return `${escapeInvisible(c)}${NAMES[code] ? `, ${NAMES[code]}` : ''}`;
  });
  const what = found.length === 1 ? 'an invisible character' : 'invisible characters';
  return `"${escapeInvisible(text)}" contains ${what} (${named.join('; ')}): retype the value`;
}
