import { stringify } from 'csv-stringify/sync';
import { CSV_NULL, needsApostrophe } from '../manifest/unescape-cell.js';
import type { FieldSpec, FieldValue } from '../operations/types.js';

/**
 * A value as a CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe; odin-bulk's manifest reader removes it again, so the files stay runnable. null is the cell `null`
 * (the literal text "null" is written `'null`); undefined, "no value", is an empty cell.
 */
export function csvCell(value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return CSV_NULL;
  const text = String(value);
  return typeof value === 'string' && needsApostrophe(text) ? `'${text}` : text;
}

/**
 * A value in a manifest odin-bulk writes (rollback, failed, export). A null in a field that cannot be null means
 * "not known" (the server did not return it), so the cell stays empty: leave the field alone.
 */
export function manifestCell(spec: FieldSpec | undefined, value: FieldValue | undefined): string {
  if (value === null && !(spec?.kind === 'string' && spec.nullable)) return '';
  return csvCell(value);
}

/** One CSV line (with its newline) from already-escaped cells. */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]]);
}
