import { join } from 'node:path';
import { JobError } from '../model/errors.js';
import { readResults, rowRequests } from '../records/read-results.js';
import { REPORT_FILES } from '../records/report-files.js';
import { ROW_STATUSES, type RowResult, type RowStatus } from '../model/row-result.js';

/**
 * Streams the rows of a report folder's results.json as RowResults (read one line at a time by readResults,
 * so a 200,000-row file is never held whole). Anything that is not an odin-bulk results.json is an input error (exit 2).
 */
export async function* readResultRows(dir: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  const file = join(dir, REPORT_FILES.resultsJson);
  const refuse = (what: string) =>
    new JobError('EINPUT', `${file}: ${what} is not a row of a results.json written by odin-bulk; nothing was written`, [
      'merge-reports reads the results.json of odin-bulk report folders, unedited.',
    ]);
  let n = 0;
  try {
    for await (const value of readResults(dir)) {
      n++;
      const row = toRowResult(value, keyFields);
      if (!row) throw refuse(`row ${n}`);
      yield row;
    }
  } catch (error) {
    if (error instanceof JobError) throw error;
    throw refuse(`the text after row ${n}`);
  }
}

/** Back from the results.json shape (`{line, ...key, status, requested, before, after, changed, requests, error}`; older folders say `attempts`). */
function toRowResult(value: unknown, keyFields: readonly string[]): RowResult | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!Number.isInteger(v.line) || !ROW_STATUSES.includes(v.status as RowStatus)) return undefined;
  const key: Record<string, string> = {};
  for (const k of keyFields) {
    if (typeof v[k] !== 'string') return undefined;
    key[k] = v[k] as string;
  }
  return {
    line: v.line as number,
    key,
    id: keyFields.map((k) => key[k]).join('/'),
    status: v.status as RowStatus,
    requested: (v.requested ?? {}) as RowResult['requested'],
    before: (v.before ?? null) as RowResult['before'],
    after: (v.after ?? null) as RowResult['after'],
    changed: Array.isArray(v.changed) ? (v.changed as string[]) : [],
    requests: rowRequests(v),
    ...(typeof v.error === 'string' ? { error: v.error } : {}),
    ...(typeof v.httpStatus === 'number' ? { httpStatus: v.httpStatus } : {}),
    warnings: Array.isArray(v.warnings) ? (v.warnings as string[]) : [],
  };
}
