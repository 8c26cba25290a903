import { stringify } from 'csv-stringify/sync';
import { NEEDS_ESCAPE, NULL_CELL } from '../manifest/unescape-cell.js';
import type { FieldValue } from '../operations/types.js';

/**
 * A value as a CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR), and the text "null",
 * get a leading apostrophe; odin-bulk's manifest reader removes it again, so the files stay runnable. null is `null`.
 */
export function csvCell(value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return NULL_CELL; // an empty cell would mean "leave alone" when the file is run as a manifest
  const text = String(value);
  return typeof value === 'string' && NEEDS_ESCAPE.test(text) ? `'${text}` : text;
}

/** One CSV line (with its newline) from already-escaped cells. */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]]);
}
