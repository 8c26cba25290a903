import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { JobSummary } from '../../src/model/summary.js';

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

export async function readResultsJson(dir: string): Promise<ResultJson[]> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ResultJson[];
}

export async function readSummary(dir: string): Promise<JobSummary> {
  return JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as JobSummary;
}

/** A report CSV as header-keyed records (strings). */
export async function readCsvRecords(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

export async function readCsvHeader(file: string): Promise<string[]> {
  const [header] = parse(await readFile(file, 'utf8'), { to_line: 1 }) as string[][];
  return header ?? [];
}

/** Every file a finished run leaves in its report folder, sorted. */
export const RUN_REPORT_FILES = [
  'failed.csv', 'journal.ndjson', 'junit.xml', 'report.html', 'results.csv', 'results.json',
  'rollback.csv', 'run.json', 'run.log', 'summary.json', 'summary.md', 'writes.ndjson',
];

/** A plan's folder: the same, without writes.ndjson (a plan sends no PUT), with plan.json. */
export const PLAN_REPORT_FILES = [...RUN_REPORT_FILES.filter((f) => f !== 'writes.ndjson'), 'plan.json'].sort();
