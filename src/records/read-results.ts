import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Fields } from '../operations/types.js';
import type { RowStatus } from '../model/row-result.js';
import { REPORT_FILES } from './report-files.js';
import type { JobSummary } from '../model/summary.js';

/** One element of results.json (see resultJson in report-writer.ts); the key fields (e.g. userId) sit at the top level. */
export type ResultRow = {
  line: number;
  status: RowStatus;
  requested: Fields;
  before: Fields | null;
  after: Fields | null;
  changed: string[];
  /** HTTP requests the row sent. */
  requests?: number;
  /** The same, as older report folders call it. */
  attempts?: number;
  error: string | null;
  httpStatus?: number;
  warnings?: string[];
  [key: string]: unknown;
};

/** Requests a results.json row sent, in this version's name (`requests`) or an older folder's (`attempts`). */
export function rowRequests(row: Pick<ResultRow, 'requests' | 'attempts'>): number {
  return typeof row.requests === 'number' ? row.requests : typeof row.attempts === 'number' ? row.attempts : 0;
}

/** The row's display id: its key fields joined with `/` (the userId for user operations), else `line N`. */
export function rowId(row: ResultRow, keyFields: readonly string[]): string {
  const parts = keyFields.map((k) => row[k]).filter((v) => typeof v === 'string' && v !== '');
  return parts.length ? parts.join('/') : `line ${row.line}`;
}

/**
 * Streams the rows of a folder's results.json. The report writer puts one row per line (`[`, `{…},`, …, `]`),
 * so a huge folder is read a line at a time; a file in any other JSON layout is parsed whole instead.
 */
export async function* readResults(dir: string): AsyncGenerator<ResultRow> {
  const file = join(dir, REPORT_FILES.resultsJson);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let yielded = 0;
  let opened = false;
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
      const row = parseRowLine(line);
      if (!row) break;
      yielded++;
      yield row;
    }
  } finally {
    lines.close();
  }
  if (yielded > 0) throw new Error(`${file}: a row line is not valid JSON (after ${yielded} rows)`);
  const whole: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(whole)) throw new Error(`${file}: expected a JSON array of rows`);
  yield* whole as ResultRow[];
}

function parseRowLine(line: string): ResultRow | undefined {
  try {
    const value: unknown = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as ResultRow) : undefined;
  } catch {
    return undefined;
  }
}

export async function readSummary(dir: string): Promise<JobSummary> {
  return JSON.parse(await readFile(join(dir, REPORT_FILES.summary), 'utf8')) as JobSummary;
}
