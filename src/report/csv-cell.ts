import { stringify } from 'csv-stringify/sync';
import { NEEDS_ESCAPE } from '../manifest/unescape-cell.js';
import type { FieldValue } from '../operations/types.js';

/**
 * A value as a CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe; odin-bulk's manifest reader removes it again, so the files stay runnable.
 */
export function csvCell(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return typeof value === 'string' && NEEDS_ESCAPE.test(text) ? `'${text}` : text;
}

/** One CSV line (with its newline) from already-escaped cells. */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]]);
}
