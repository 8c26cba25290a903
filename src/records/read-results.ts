import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RowResult } from '../model/row-result.js';
import type { JobSummary } from '../model/summary.js';
import { REPORT_FILES } from './report-files.js';
import { decodeResultRow } from './row-codec.js';

/** results.json holds something that is not odin-bulk's rows: `after` rows were read, then `what` was not one. */
export class ResultsUnreadable extends Error {
  constructor(readonly file: string, readonly after: number, readonly what: 'row' | 'text') {
    super(what === 'row' ? `${file}: row ${after + 1} is not a row of a results.json written by odin-bulk` : `${file}: a row line is not valid JSON (after ${after} rows)`);
  }
}

/**
 * Streams the rows of a folder's results.json as RowResults, each checked by the codec. The report writer puts one
 * row per line (`[`, `{…},`, …, `]`), so a huge folder is read a line at a time; a file in any other JSON layout is
 * parsed whole instead. Anything that is not odin-bulk's rows throws ResultsUnreadable.
 */
export async function* readResults(dir: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  const file = join(dir, REPORT_FILES.resultsJson);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let yielded = 0;
  let opened = false;
  const decoded = (value: unknown): RowResult => {
    const row = decodeResultRow(value, keyFields);
    if (!row) throw new ResultsUnreadable(file, yielded, 'row');
    yielded++;
    return row;
  };
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      if (!opened) {
        if (line === '[]') return;
        if (line !== '[') break;
        opened = true;
        continue;
      }
      if (line === ']') return;
      const value = parseLine(line);
      if (value === undefined) break;
      yield decoded(value);
    }
  } finally {
    lines.close();
  }
  if (yielded > 0) throw new ResultsUnreadable(file, yielded, 'text');
  let whole: unknown;
  try {
    whole = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ResultsUnreadable(file, 0, 'text');
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
