/** Characters a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** The CSV cell that stands for JSON null (clears a nullable field); an empty cell means "leave alone". */
export const CSV_NULL = 'null';

/**
 * Text that odin-bulk writes with a leading apostrophe (see csv-cell.ts): what a spreadsheet would run as a formula,
 * the literal text `null`, and text that already starts with an apostrophe before such text (so it round-trips too).
 */
export function needsApostrophe(text: string): boolean {
  return FORMULA_START.test(text) || text === CSV_NULL || (text.startsWith("'") && needsApostrophe(text.slice(1)));
}

/**
 * Reading back removes that apostrophe again, so `+15551234567` survives export → run unchanged.
 */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && needsApostrophe(value.slice(1)) ? value.slice(1) : value;
}

/** A CSV manifest cell as a value: the bare `null` cell is JSON null, anything else text (apostrophe removed). */
export function cellValue(value: string): string | null {
  return value === CSV_NULL ? null : unescapeCell(value);
}
