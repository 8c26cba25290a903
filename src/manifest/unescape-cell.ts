/** Characters a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV cell that is exactly this means JSON null (clears a nullable text field); CSV has no other way to say it. */
export const NULL_CELL = 'null';

/**
 * Text csvCell escapes with a leading apostrophe: a formula start, or the text "null" (so it is not read as null),
 * possibly behind apostrophes already (so `'=x` also survives the round trip).
 */
export const NEEDS_ESCAPE = /^'*(?:[=+\-@\t\r]|null$)/;

/**
 * odin-bulk writes a cell that starts like a formula with a leading apostrophe (see csv-cell.ts);
 * reading it back removes that apostrophe, so `+15551234567` survives export → run unchanged.
 */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && NEEDS_ESCAPE.test(value.slice(1)) ? value.slice(1) : value;
}

/** A CSV manifest cell as a value: `null` is JSON null, anything else is text (unescaped). */
export function readCell(value: string): string | null {
  return value === NULL_CELL ? null : unescapeCell(value);
}
