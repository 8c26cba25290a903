/** Characters a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell odin-bulk writes with one more leading apostrophe: text that starts like a formula, after any
 * apostrophes. Counting those in keeps the escape reversible: `=x` → `'=x`, and a real `'=x` → `''=x`.
 */
export const ESCAPED_ON_WRITE = /^'*[=+\-@\t\r]/;

/**
 * odin-bulk writes a cell that starts like a formula with a leading apostrophe (see csv-cell.ts);
 * reading it back removes that apostrophe, so `+15551234567` survives export → run unchanged.
 */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && ESCAPED_ON_WRITE.test(value.slice(1)) ? value.slice(1) : value;
}
