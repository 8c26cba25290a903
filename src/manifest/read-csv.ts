import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { setOwn } from '../operations/field-lookup.js';
import type { RawRow } from './types.js';
import { readCell } from './unescape-cell.js';

/** Longest record accepted; a longer one is a broken file (an unclosed quote swallowing the rest), not a row. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** The cell separator when none is given. */
export const DEFAULT_DELIMITER = ',';

/** A CSV that cannot be read further. Carries the line where the parser gave up. */
export class CsvReadError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

/** Structure errors after which the rest of the file cannot be trusted: reading stops there. */
const FATAL = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_INVALID_CLOSING_QUOTE', 'CSV_MAX_RECORD_SIZE']);

/**
 * Streams a CSV manifest: header row first, then one RawRow per record, cells keyed by column name.
 * Strict: uneven rows and stray quotes are never read as data (no relax options). A broken record comes through as
 * a RawRow with `broken` set, in file order, and reading goes on, so one pass lists every problem; after a broken
 * quote (which makes the rest of the file unreadable) it stops. Line endings may be CRLF, LF or CR, even mixed.
 */
export async function* readCsvRows(
  file: string,
  onHeader: (columns: string[]) => void,
  options: { delimiter?: string } = {},
): AsyncGenerator<RawRow> {
  let columns: string[] | undefined;
  let lastLine = 0; // where the last record (whole or broken) ended: a broken one starts after it
  /** Broken records, in file order; csv-parse reports them as it parses, ahead of the records read so far. */
  const skipped: Array<CsvError & { lines?: number }> = [];
  let brokenHeader = false;
  let lastBroken: number | undefined;
  const delimiter = options.delimiter ?? DEFAULT_DELIMITER;
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: MAX_RECORD_BYTES,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (columns === undefined) brokenHeader = true;
        if (error) skipped.push(error as CsvError & { lines?: number });
      },
      columns: (header: string[]) => {
        columns = header.map((h) => String(h).trim());
        lastLine = 1;
        // A broken header line was skipped: this "header" is a data row. Nothing of it is used.
        if (!brokenHeader) onHeader(columns);
        // Positional names keep duplicate headers apart; the validator reports them.
        return columns.map((_, i) => String(i));
      },
    }),
  );
  /** Broken records that end before `line`, as rows; true when one of them ends the reading. */
  function* brokenBefore(line: number): Generator<RawRow, boolean> {
    while (skipped.length && (skipped[0]!.lines ?? Infinity) < line) {
      const error = skipped.shift()!;
      if (error.lines !== undefined && error.lines === lastBroken) continue; // one record, two stray quotes: said once
      lastBroken = error.lines;
      const problem = toReadError(error, lastLine + 1, delimiter);
      yield { line: problem.line ?? lastLine + 1, cells: {}, broken: problem.message };
      lastLine = error.lines ?? lastLine;
      if (FATAL.has(error.code) || brokenHeader) return true;
    }
    return false;
  }
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (yield* brokenBefore(info.lines)) return;
      const cells: Record<string, unknown> = {};
      columns!.forEach((name, i) => {
        // Own keys only: `'constructor' in {}` is true, and `cells.__proto__ = x` would set no cell at all.
        if (!Object.hasOwn(cells, name)) setOwn(cells, name, readCell(record[String(i)] ?? ''));
      });
      lastLine = info.lines;
      yield { line: info.lines, cells };
    }
  } catch (error) {
    throw toReadError(error as CsvError, lastLine + 1, delimiter);
  } finally {
    source.destroy(); // stopped early (a broken quote, or the caller stopped reading): close the file
  }
  yield* brokenBefore(Infinity);
}

/** `start`: the line the failing record starts on (the parser reports where it gave up, maybe the end of the file). */
function toReadError(error: CsvError & { lines?: number }, start: number, delimiter: string): CsvReadError {
  const line = error.lines;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const m = /length is (\d+), got (\d+)/.exec(error.message);
      const counts = m ? `${m[2]} cells but the header has ${m[1]} columns` : 'a different number of cells than the header';
      return new CsvReadError(`row has ${counts}; check for a missing or extra ${delimiterName(delimiter)}, or quote a cell that contains one`, line);
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvReadError(`a quoted cell on this line is never closed: a " is missing (the parser read on to line ${line ?? 'the end'}); the rest of the file was not checked`, start);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvReadError('a quote (") stands inside a cell; quote the whole cell and double the inner quote (""); the rest of the file was not checked', line);
    case 'INVALID_OPENING_QUOTE':
      return new CsvReadError('a quote (") stands inside a cell; quote the whole cell and double the inner quote ("")', line);
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvReadError(`a row is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB; the file is damaged or not a manifest`, line);
    default:
      return new CsvReadError(`cannot read the CSV: ${error.message}`, line);
  }
}

/** `,` → `comma`: how messages name the cell separator. */
export function delimiterName(delimiter: string): string {
  return ({ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': '"|"' } as Record<string, string>)[delimiter] ?? `"${delimiter}"`;
}
