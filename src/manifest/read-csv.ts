import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { setOwn } from '../operations/field-lookup.js';
import type { RawRow } from './types.js';
import { readCell } from './unescape-cell.js';

/** Longest record accepted; a longer one is a broken file (an unclosed quote swallowing the rest), not a row. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** A CSV that cannot be read further. Carries the line where the parser gave up. */
export class CsvReadError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

/**
 * Streams a CSV manifest: header row first, then one RawRow per record, cells keyed by column name.
 * Strict: uneven rows and stray quotes are errors (no relax options), so a damaged file never half-runs.
 */
export async function* readCsvRows(file: string, onHeader: (columns: string[]) => void): AsyncGenerator<RawRow> {
  let columns: string[] | undefined;
  let lastLine = 0; // where the last whole record ended: a broken one starts after it
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      columns: (header: string[]) => {
        columns = header.map((h) => String(h).trim());
        lastLine = 1;
        onHeader(columns);
        // Positional names keep duplicate headers apart; the validator reports them.
        return columns.map((_, i) => String(i));
      },
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const cells: Record<string, unknown> = {};
      columns!.forEach((name, i) => {
        // Own keys only: `'constructor' in {}` is true, and `cells.__proto__ = x` would set no cell at all.
        if (!Object.hasOwn(cells, name)) setOwn(cells, name, readCell(record[String(i)] ?? ''));
      });
      lastLine = info.lines;
      yield { line: info.lines, cells };
    }
  } catch (error) {
    throw toReadError(error as CsvError, lastLine + 1);
  }
}

/** `start`: the line the failing record starts on (the parser reports where it gave up, maybe the end of the file). */
function toReadError(error: CsvError & { lines?: number }, start: number): CsvReadError {
  const line = error.lines;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const m = /length is (\d+), got (\d+)/.exec(error.message);
      const counts = m ? `${m[2]} cells but the header has ${m[1]} columns` : 'a different number of cells than the header';
      return new CsvReadError(`row has ${counts}; check for a missing or extra comma, or quote a cell that contains one`, line);
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvReadError(`a quoted cell on this line is never closed: a " is missing (the parser read on to line ${line ?? 'the end'})`, start);
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return new CsvReadError('a quote (") stands inside a cell; quote the whole cell and double the inner quote ("")', line);
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvReadError(`a row is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB; the file is damaged or not a manifest`, line);
    default:
      return new CsvReadError(`cannot read the CSV: ${error.message}`, line);
  }
}
