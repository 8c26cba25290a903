import { createReadStream } from 'node:fs';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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
  const rows = new CsvRows(onHeader, options.delimiter ?? DEFAULT_DELIMITER);
  const source = createReadStream(file);
  const parser = source.pipe(parse({ ...rows.parseOptions, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: { lines: number } }>) {
      if (yield* rows.brokenBefore(info.lines)) return;
      yield rows.row(record, info.lines);
    }
  } catch (error) {
    throw rows.readError(error);
  } finally {
    source.destroy(); // stopped early (a broken quote, or the caller stopped reading): close the file
  }
  yield* rows.brokenBefore(Infinity);
}

/**
 * The same rows as readCsvRows, from a whole file already in memory (a manifest small enough to be read once):
 * csv-parse's synchronous parser over the bytes at once, without a stream, chunks or a promise per row. It
 * parses the same bytes with the same options, so the rows, the broken records and their lines are the same.
 */
export function* csvRowsOf(bytes: Buffer, onHeader: (columns: string[]) => void, options: { delimiter?: string } = {}): Generator<RawRow> {
  const rows = new CsvRows(onHeader, options.delimiter ?? DEFAULT_DELIMITER);
  const records: Array<{ record: CsvRecord; lines: number }> = [];
  let failure: unknown;
  try {
    // Each record is taken as it is parsed (not from the returned list), so those before an error that stops the
    // parser still come out ahead of it, as they do from the stream.
    const onRecord = (record: CsvRecord, context: InfoRecord) => void records.push({ record, lines: context.lines });
    parseSync(bytes, { ...rows.parseOptions, on_record: onRecord as unknown as Options['on_record'] });
  } catch (error) {
    failure = error;
  }
  for (const { record, lines } of records) {
    if (yield* rows.brokenBefore(lines)) return;
    yield rows.row(record, lines);
  }
  if (failure !== undefined) throw rows.readError(failure);
  yield* rows.brokenBefore(Infinity);
}

/** A record as csv-parse gives it with positional column names: cell i under the key `String(i)`. */
type CsvRecord = Record<string, string>;

/**
 * One reading of a CSV: csv-parse's options, the header, and the broken records csv-parse skips, put back in file
 * order among the records (csv-parse reports them as it parses, ahead of the records read so far).
 */
class CsvRows {
  private columns: string[] | undefined;
  /** `String(i)` for each column: the keys of a record. */
  private keys: string[] = [];
  /** Where the last record (whole or broken) ended: a broken one starts after it. */
  private lastLine = 0;
  /** Broken records, in file order. */
  private readonly skipped: Array<CsvError & { lines?: number }> = [];
  private brokenHeader = false;
  private lastBroken: number | undefined;
  readonly parseOptions: Options;

  constructor(onHeader: (columns: string[]) => void, private readonly delimiter: string) {
    this.parseOptions = {
      bom: true,
      skip_empty_lines: true,
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: MAX_RECORD_BYTES,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (this.columns === undefined) this.brokenHeader = true;
        if (error) this.skipped.push(error as CsvError & { lines?: number });
      },
      columns: (header: string[]) => {
        const columns = header.map((h) => String(h).trim());
        this.columns = columns;
        this.lastLine = 1;
        // A broken header line was skipped: this "header" is a data row. Nothing of it is used.
        if (!this.brokenHeader) onHeader(columns);
        // Positional names keep duplicate headers apart; the validator reports them.
        this.keys = columns.map((_, i) => String(i));
        return this.keys;
      },
    };
  }

  /** A record as a row, cells keyed by column name. */
  row(record: CsvRecord, line: number): RawRow {
    const cells: Record<string, unknown> = {};
    const { columns, keys } = this;
    for (let i = 0; i < columns!.length; i++) {
      const name = columns![i]!;
      // Own keys only: `'constructor' in {}` is true, and `cells.__proto__ = x` would set no cell at all.
      if (!Object.hasOwn(cells, name)) setOwn(cells, name, readCell(record[keys[i]!] ?? ''));
    }
    this.lastLine = line;
    return { line, cells };
  }

  /** Broken records that end before `line`, as rows; true when one of them ends the reading. */
  *brokenBefore(line: number): Generator<RawRow, boolean> {
    const { skipped } = this;
    while (skipped.length && (skipped[0]!.lines ?? Infinity) < line) {
      const error = skipped.shift()!;
      if (error.lines !== undefined && error.lines === this.lastBroken) continue; // one record, two stray quotes: said once
      this.lastBroken = error.lines;
      const problem = toReadError(error, this.lastLine + 1, this.delimiter);
      yield { line: problem.line ?? this.lastLine + 1, cells: {}, broken: problem.message };
      this.lastLine = error.lines ?? this.lastLine;
      if (FATAL.has(error.code) || this.brokenHeader) return true;
    }
    return false;
  }

  /** An error that stopped the parser, as the CsvReadError of the record after the last one read. */
  readError(error: unknown): CsvReadError {
    return toReadError(error as CsvError, this.lastLine + 1, this.delimiter);
  }
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
