import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createOdinClient, RowFailure, type OdinClient } from '../client/odin-client.js';
import { EXIT, JobError, type ExitCode } from '../model/errors.js';
import type { Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { concurrencyPlan } from '../engine/concurrency-plan.js';
import type { Logger } from '../logging/create-logger.js';
import type { Secrets } from '../logging/secrets.js';
import type { ManifestRow } from '../manifest/types.js';
import type { OperationDef } from '../operations/types.js';
import { executeRows } from '../engine/execute-rows.js';
import type { RowResult } from '../model/row-result.js';
import { groupTargetKeys } from '../sources/group-listing.js';
import { checkManifestTargets } from '../sources/manifest-targets.js';
import type { ExportOptions } from '../settings/resolve-export.js';
import { ExportWriter, type LeftOut } from '../report/export-writer.js';

export type ExportDeps = {
  logger: Logger;
  secrets: Secrets;
  now: () => Date;
  createClient?: (connection: Connection, options: JobOptions) => OdinClient;
};

export type ExportOutcome = {
  /** Targets listed (group) or named (manifest). */
  targets: number;
  /** Rows written to the file; 0 means no file was written. */
  written: number;
  /** Targets read but left out: none of their fields could be written. */
  emptyTargets: number;
  /** Targets that could not be read (the first 100 kept), and how many in all. */
  failures: RowResult[];
  failedCount: number;
  /** Users left out because they do not have the operation's service (NOT_ASSIGNED): nothing to export for them. */
  unassigned: number;
  /** The first of them in target order, for the summary. */
  firstUnassigned?: string;
  omissions: LeftOut[];
  requests: number;
  retries: number;
  durationMs: number;
  exitCode: ExitCode;
};

const KEPT_FAILURES = 100;

/**
 * `export`: reads the current values of every target (GET only, with the run's client, rate limit, retries and
 * concurrency) and writes them as a manifest. Targets that cannot be read are left out and reported (exit 1).
 */
export async function runExport(options: ExportOptions, connection: Connection, deps: ExportDeps): Promise<ExportOutcome> {
  const started = deps.now();
  const { job } = options;
  await checkOut(options);
  const fromManifest = job.manifest ? await checkManifestTargets(job.manifest, job.op, job.delimiter) : undefined;
  const concurrency = concurrencyPlan(job);
  const client = deps.createClient
    ? deps.createClient(connection, job)
    : createOdinClient({ ...connection, rate: job.rate, retries: job.retries, timeoutMs: job.timeoutMs }, { secrets: deps.secrets, observer: concurrency.observer });
  try {
    await client.start();
    let targets = fromManifest?.count ?? 0;
    let rows: AsyncIterable<ManifestRow>;
    if (fromManifest) rows = fromManifest.rows();
    else {
      const { keys } = await groupTargetKeys(client, job.op, job.target!);
      targets = keys.length;
      rows = iterate(keys.map((key, i) => ({ line: i + 1, key, id: job.op.keyFields.map((k) => key[k]).join('/'), fields: {} })));
    }
    const writer = new ExportWriter(options.out, options.format, job.op, options.fields);
    const failures: RowResult[] = [];
    let failedCount = 0;
    let unassigned = 0;
    let firstUnassigned: { id: string; index: number } | undefined;
    let missingEndpoint: RowResult | undefined;
    const execute = {
      concurrency: concurrency.limit.concurrency,
      limit: concurrency.limit,
      // The endpoint is missing: no other target can be read either (rows not started are skipped).
      stopRequested: () => missingEndpoint !== undefined,
    };
    try {
      await executeRows(rows, (row) => readTarget(row, client, job.op), execute, (result, index) => {
        writer.add(result, index);
        if (result.status !== 'failed') return;
        if (result.errorCode === 'NOT_ASSIGNED') {
          unassigned++;
          if (!firstUnassigned || index < firstUnassigned.index) firstUnassigned = { id: result.id, index };
          return;
        }
        if (result.errorCode === 'ENDPOINT_MISSING') missingEndpoint ??= result;
        if (failedCount++ < KEPT_FAILURES) failures.push(result);
        deps.logger.debug(`${result.id}: cannot be read: ${result.error}`, { line: result.line, id: result.id });
      });
      if (missingEndpoint) {
        throw new JobError('EENDPOINT', `nothing was exported: ${missingEndpoint.error}`, ['Check ODIN_BASE_URL and the operation; `odin-bulk doctor` shows which endpoints this server answers.']);
      }
      if (writer.written > 0) await writer.commit();
      else await writer.discard();
    } catch (error) {
      await writer.discard();
      throw error;
    }
    return {
      targets,
      written: writer.written,
      emptyTargets: writer.emptyTargets,
      failures,
      failedCount,
      unassigned,
      ...(firstUnassigned ? { firstUnassigned: firstUnassigned.id } : {}),
      omissions: writer.omissions,
      requests: client.stats.requests,
      retries: client.stats.retries,
      durationMs: deps.now().getTime() - started.getTime(),
      exitCode: failedCount > 0 ? EXIT.rowsFailed : EXIT.ok,
    };
  } finally {
    client.close();
  }
}

/** One target: GET its current values. Never throws for a request failure: it becomes a failed result. */
async function readTarget(row: ManifestRow, client: OdinClient, op: OperationDef): Promise<RowResult> {
  const track = { requests: 0, retries: 0 };
  const base = { line: row.line, key: row.key, id: row.id, requested: {}, changed: [], warnings: [] };
  try {
    const live = await client.read(op, row.key, track);
    return { ...base, status: 'unchanged', before: live, after: live, requests: track.requests };
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return { ...base, status: 'failed', before: null, after: null, requests: track.requests, error: error.message, errorCode: error.code, httpStatus: error.status };
  }
}

/** Refuses an existing file (without --overwrite) or a missing folder before anything is sent. */
async function checkOut(options: ExportOptions): Promise<void> {
  const existing = await stat(options.out).catch(() => undefined);
  if (existing && !options.overwrite) {
    throw new JobError('EINPUT', `${options.out} already exists`, ['Choose another --out file, or add --overwrite to replace it.']);
  }
  if (existing && !existing.isFile()) throw new JobError('EINPUT', `${options.out} is not a file`);
  const folder = await stat(dirname(options.out)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new JobError('EINPUT', `the folder of ${options.out} does not exist`);
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
