import { stringify } from 'csv-stringify/sync';
import { ESCAPED_ON_WRITE } from '../manifest/unescape-cell.js';
import type { FieldValue } from '../operations/types.js';

/**
 * A value as a CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe (also when apostrophes already stand before it); odin-bulk's manifest reader removes exactly one
 * again, so the files stay runnable and every value reads back unchanged.
 */
export function csvCell(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return typeof value === 'string' && ESCAPED_ON_WRITE.test(text) ? `'${text}` : text;
}

/** One CSV line (with its newline) from already-escaped cells. */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]]);
}
