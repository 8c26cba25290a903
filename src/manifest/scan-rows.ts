import { CsvReadError, DEFAULT_DELIMITER } from './read-csv.js';
import { JsonReadError } from './read-json.js';
import type { ManifestSource, Problem, RawRow } from './types.js';

export type Scanned = {
  rowCount: number;
  /** Two rows start on one line (a JSON file written on one line): problems then name the row as `rows[3]` too. */
  sharedLines: boolean;
};

/**
 * One pass over a manifest's rows, as validation and export read them. A header that holds another separator is
 * one problem, and the rows are then passed over (each would only repeat it); a file that cannot be read on as
 * CSV or JSON is a problem at its line. `onHeader` sees a usable header's columns, `onRow` every row.
 */
export async function scanRows(
  source: ManifestSource,
  add: (p: Problem) => void,
  onRow: (raw: RawRow) => void,
  onHeader: (columns: string[]) => void = () => {},
): Promise<Scanned> {
  let wrongDelimiter = false;
  let rowCount = 0;
  let previousLine = 0;
  let sharedLines = false;
  const header = (columns: string[]) => {
    const separator = otherDelimiter(columns, source.delimiter ?? DEFAULT_DELIMITER);
    if (separator) {
      wrongDelimiter = true;
      return add({ file: source.file, line: 1, message: separator });
    }
    onHeader(columns);
  };
  const take = (raw: RawRow) => {
    rowCount++;
    if (raw.line === previousLine) sharedLines = true;
    previousLine = raw.line;
    if (!wrongDelimiter) onRow(raw);
  };
  try {
    const rows = source.rows(header);
    // A file read whole gives its rows at once: taken without waiting for a promise per row.
    if (Symbol.iterator in rows) for (const raw of rows) take(raw);
    else for await (const raw of rows) take(raw);
  } catch (error) {
    if (!(error instanceof CsvReadError) && !(error instanceof JsonReadError)) throw error;
    add({ file: source.file, line: error.line, message: error.message });
  }
  return { rowCount, sharedLines };
}

/**
 * A header read as one column that holds another separator: a ';'-separated file (Excel in much of Europe) read
 * with ',' (or the other way round). Returns the message, or undefined.
 */
export function otherDelimiter(columns: string[], delimiter: string): string | undefined {
  if (columns.length !== 1) return undefined;
  const used = [';', ',', '\t', '|'].find((d) => d !== delimiter && columns[0]!.includes(d));
  if (!used) return undefined;
  const shown = (d: string) => (d === '\t' ? 'tab' : `'${d}'`);
  return `the file seems to use ${shown(used)} between cells, not ${shown(delimiter)} (the header reads as one column "${columns[0]}"); ` +
    `save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") or pass --delimiter ${shown(used)}`;
}
