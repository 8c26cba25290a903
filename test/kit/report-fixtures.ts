import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunInfo } from '../../src/records/run-info.js';
import type { JobSummary } from '../../src/model/summary.js';
import { ROW_STATUSES, type RowStatus } from '../../src/model/row-result.js';
import { simUsers, tempDir, writeCsvManifest, type ResultJson } from './index.js';

export function runInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    version: 1,
    job: 'clid-migration',
    operation: 'user-call-processing-policy',
    keyFields: ['userId'],
    manifest: 'samples/clid-migration.csv',
    manifestHash: 'abc123',
    fieldsUsed: ['useUserCLIDSetting', 'clidPolicy'],
    dryRun: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    settings: { concurrency: 4, rate: 5, retries: 4, timeoutMs: 30000, strictGates: false, failOnChanges: false },
    ...overrides,
  };
}

/**
 * A row as results.json holds it (records/row-codec.ts, encodeResultRow), as a fixture writes it: an older folder's
 * `attempts` instead of `requests`, or the key fields of an operation keyed otherwise (serviceProviderId, groupId).
 */
export type ResultRow = Omit<ResultJson, 'status' | 'requests'> & { status: RowStatus; requests?: number; attempts?: number; [key: string]: unknown };

/** A results.json row of the given status, in the shape the report writer writes. */
export function row(line: number, userId: string, status: RowStatus, extra: Partial<ResultRow> = {}): ResultRow {
  const requested = { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' };
  const before = { useUserCLIDSetting: false, clidPolicy: 'Use DN' };
  const base: ResultRow = { line, userId, status, requested, before, after: null, changed: [], requests: 1, error: null };
  switch (status) {
    case 'updated':
      return { ...base, after: requested, changed: ['useUserCLIDSetting', 'clidPolicy'], requests: 2, ...extra };
    case 'planned':
      return { ...base, changed: ['clidPolicy'], ...extra };
    case 'unchanged':
      return { ...base, before: requested, after: requested, ...extra };
    case 'skipped':
      return { ...base, before: null, requests: 0, error: 'not started: interrupted (SIGINT)', ...extra };
    default:
      return { ...base, changed: ['clidPolicy'], requests: 5, error: `PUT /users/call-processing-policy: 500 Internal Server Error`, httpStatus: 500, ...extra };
  }
}

export function summaryOf(rows: readonly ResultRow[], overrides: Partial<JobSummary> = {}): JobSummary {
  const counts = Object.fromEntries(ROW_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<RowStatus, number>;
  const failing = counts.failed + counts.conflict + counts.invalid;
  return {
    total: rows.length,
    ...counts,
    warnings: rows.filter((r) => r.warnings?.length).length,
    requests: rows.reduce((n, r) => n + (r.requests ?? 0), 0),
    retries: 3,
    durationMs: 1234,
    exitCode: failing ? 1 : 0,
    ...overrides,
  };
}

/** Writes run.json, summary.json and results.json (one row per line, like the report writer) into a new folder. */
export async function reportFolder(rows: readonly ResultRow[], info: RunInfo = runInfo(), summary: JobSummary = summaryOf(rows)): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'run.json'), JSON.stringify(info, null, 2) + '\n');
  await writeFile(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const body = rows.map((r) => JSON.stringify(r)).join(',\n');
  await writeFile(join(dir, 'results.json'), rows.length ? `[\n${body}\n]\n` : '[]\n');
  return dir;
}

/** A CSV manifest of `n` seeded simulator users from user `from`, all asking for the same CLID settings: users.csv in `dir`. */
export async function writeClidManifest(dir: string, n: number, from = 1): Promise<string> {
  return writeCsvManifest(dir, 'users.csv', ['userId', 'useUserCLIDSetting', 'clidPolicy'], simUsers(n, from).map((u) => [u, true, 'Use Configurable CLID']));
}
