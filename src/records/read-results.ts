import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RowResult } from '../model/row-result.js';
import type { JobSummary } from '../model/summary.js';
import { REPORT_FILES } from './report-files.js';
import { decodeResultRow } from './row-codec.js';
import { jsonSyntaxError } from '../util/json-syntax.js';

/**
 * results.json holds something that is not odin-bulk's rows: `after` rows were read, then `what` was not one (a row
 * that the codec refuses, text that is not JSON, or text after the closing `]`), on `lineNumber` of the file when known.
 */
export class ResultsUnreadable extends Error {
  constructor(readonly file: string, readonly after: number, readonly what: 'row' | 'text' | 'trailing', readonly lineNumber?: number) {
    const at = `${file}${lineNumber ? `:${lineNumber}` : ''}`;
    super(
      what === 'row'
        ? `${at}: row ${after + 1} is not a row of a results.json written by odin-bulk`
        : what === 'text'
          ? `${at}: a row line is not valid JSON (after ${after} rows)`
          : `${at}: there is text after the closing ] of the rows`,
    );
  }
}

/**
 * Streams the rows of a folder's results.json as RowResults, each checked by the codec. The report writer puts one
 * row per line (`[`, `{…},`, …, `]`), so a huge folder is read a line at a time; a file in any other JSON layout is
 * parsed whole instead. Anything that is not odin-bulk's rows throws ResultsUnreadable, and so does anything but
 * white space after the closing `]` (a second document appended, or garbage): the file is damaged, and the rows
 * before it are not to be trusted as the whole of it.
 */
export async function* readResults(dir: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  const file = join(dir, REPORT_FILES.resultsJson);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let yielded = 0;
  let opened = false;
  let closed = false;
  let lineNumber = 0;
  const decoded = (value: unknown, at?: number): RowResult => {
    const row = decodeResultRow(value, keyFields);
    if (!row) throw new ResultsUnreadable(file, yielded, 'row', at);
    yielded++;
    return row;
  };
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = raw.trim();
      if (line === '') continue;
      if (closed) throw new ResultsUnreadable(file, yielded, 'trailing', lineNumber);
      if (!opened) {
        if (line === '[]') {
          closed = true;
          continue;
        }
        if (line !== '[') break;
        opened = true;
        continue;
      }
      if (line === ']') {
        closed = true;
        continue;
      }
      const value = parseLine(line);
      if (value === undefined) break;
      yield decoded(value, lineNumber);
    }
  } finally {
    lines.close();
  }
  if (closed) return;
  if (yielded > 0) throw new ResultsUnreadable(file, yielded, 'text', lineNumber);
  const text = await readFile(file, 'utf8');
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    const { message } = error as Error;
    throw new ResultsUnreadable(file, 0, /after JSON/.test(message) ? 'trailing' : 'text', jsonSyntaxError(text, message).line);
  }
  if (!Array.isArray(whole)) throw new ResultsUnreadable(file, 0, 'row');
  for (const value of whole) yield decoded(value);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
  } catch {
    return undefined;
  }
}

export async function readSummary(dir: string): Promise<JobSummary> {
  return JSON.parse(await readFile(join(dir, REPORT_FILES.summary), 'utf8')) as JobSummary;
}
