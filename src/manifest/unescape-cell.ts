/** Characters a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Text csvCell escapes: a formula start, possibly behind apostrophes (so `'=x` also survives the round trip). */
export const NEEDS_ESCAPE = /^'*[=+\-@\t\r]/;

/**
 * odin-bulk writes a cell that starts like a formula with a leading apostrophe (see csv-cell.ts);
 * reading it back removes that apostrophe, so `+15551234567` survives export → run unchanged.
 */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && NEEDS_ESCAPE.test(value.slice(1)) ? value.slice(1) : value;
}
