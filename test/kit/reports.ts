import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSummary } from '../../src/model/summary.js';
import { lazy } from './lazy.js';

/** csv-parse, loaded when a test first reads a CSV (lazy.ts). */
const loadCsvParse = lazy(() => import('csv-parse/sync'));
const loadParse = async () => (await loadCsvParse()).parse;

/** One element of results.json, as a test reads it (the key field is userId). */
export type ResultJson = {
  line: number;
  userId: string;
  status: string;
  requested: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed: string[];
  requests: number;
  error: string | null;
  httpStatus?: number;
  warnings?: string[];
};

export async function readJson<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

export async function readResultsJson(dir: string): Promise<ResultJson[]> {
  return readJson<ResultJson[]>(join(dir, 'results.json'));
}

export async function readSummary(dir: string): Promise<JobSummary> {
  return readJson<JobSummary>(join(dir, 'summary.json'));
}

/** journal.ndjson: one entry per finished row, in completion order. */
export async function readJournal(dir: string): Promise<Array<{ line: number; id: string; status: string; errorCode?: string }>> {
  const text = await readFile(join(dir, 'journal.ndjson'), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A CSV file as header-keyed records (strings). */
export async function readCsvRecords(file: string): Promise<Record<string, string>[]> {
  const parse = await loadParse();
  return parse(await readFile(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

export async function readCsvHeader(file: string): Promise<string[]> {
  const parse = await loadParse();
  const [header] = parse(await readFile(file, 'utf8'), { to_line: 1 }) as string[][];
  return header ?? [];
}

/** A CSV file's data lines, as text (without the header). */
export async function csvRows(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean).slice(1);
}

/** Lines in a file so far (0 when it does not exist yet). */
export async function lineCount(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).length;
}

/** Every file below `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const name of names) if ((await stat(join(dir, name))).isFile()) files.push(name);
  return files.sort();
}

/** Every file under `dir`, recursively, with its text. */
export async function readAllFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, text: await readFile(path, 'utf8') });
  }
  return out;
}

/** Every file a finished run leaves in its report folder, sorted. */
export const RUN_REPORT_FILES = [
  'failed.csv', 'journal.ndjson', 'junit.xml', 'report.html', 'results.csv', 'results.json',
  'rollback.csv', 'run.json', 'run.log', 'summary.json', 'summary.md', 'writes.ndjson',
];

/** A plan's folder: the same, without writes.ndjson (a plan sends no PUT), with plan.json. */
export const PLAN_REPORT_FILES = [...RUN_REPORT_FILES.filter((f) => f !== 'writes.ndjson'), 'plan.json'].sort();
