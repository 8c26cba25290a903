import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { JobSummary } from '../../src/report/summarize.js';

export type ResultJson = {
  line: number;
  userId: string;
  status: string;
  requested: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed: string[];
  attempts: number;
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
