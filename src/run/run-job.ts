import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../client/odin-client.js';
import { EXIT, JobError } from '../errors.js';
import type { Connection } from '../job/connection.js';
import type { JobOptions } from '../job/job-options.js';
import { createFileLogger, teeLogger, type ClosableLogger, type Logger } from '../logging/create-logger.js';
import type { Secrets } from '../logging/secrets.js';
import { hashFile } from '../manifest/open-manifest.js';
import { manifestRows } from '../manifest/validate-manifest.js';
import { runInfoFor, writeRunInfo } from '../report/run-info.js';
import { writeArtefacts } from '../report/write-artefacts.js';
import { ReportWriter, REPORT_FILES } from '../report/report-writer.js';
import { countResult, emptyCounts, exitCodeForCounts, type JobSummary } from '../report/summarize.js';
import { checkManifest } from './check-manifest.js';
import { concurrencyPlan } from './concurrency-plan.js';
import { executeRows } from './execute-rows.js';
import { processRow } from './process-row.js';
import type { RowResult } from './row-result.js';
import type { RunObserver } from './run-observer.js';
import { StopControl } from './stop-control.js';

export type JobDeps = {
  /** Operator-facing log (the console). */
  logger: Logger;
  secrets: Secrets;
  now: () => Date;
  createClient?: (connection: Connection, options: JobOptions) => OdinClient;
  openRunLog?: (file: string, secrets: Secrets) => ClosableLogger;
  /** Lets the caller (signal handlers) end the run early. */
  stop?: StopControl;
};

export type JobOutcome = { summary: JobSummary; outDir: string };

/** validate → log in → read, compare, write each row → reports. Row failures are results; job failures throw JobError. */
export async function runJob(options: JobOptions, connection: Connection, deps: JobDeps): Promise<JobOutcome> {
  const started = deps.now();
  const { source, check } = await checkManifest(options);
  const outDir = options.outDir ?? defaultOutDir(options.name, started);
  await refuseUsedOutDir(outDir);
  const concurrency = concurrencyPlan(options);
  const client = deps.createClient
    ? deps.createClient(connection, options)
    : createOdinClient({ ...connection, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs }, { secrets: deps.secrets, observer: concurrency.observer });
  try {
    await client.start();
    await mkdir(outDir, { recursive: true });
    const info = runInfoFor(options, await hashFile(options.manifest), check.fieldsUsed, started);
    await writeRunInfo(outDir, info);
    const runLog = (deps.openRunLog ?? createFileLogger)(join(outDir, REPORT_FILES.log), deps.secrets);
    const log = teeLogger(deps.logger, runLog);
    try {
      log.debug(`job "${options.name}": ${check.rowCount} rows from ${options.manifest}`, { operation: options.op.name, dryRun: options.dryRun });
      const writer = new ReportWriter({ dir: outDir, op: options.op, fieldsUsed: check.fieldsUsed }, deps.secrets);
      const counts = emptyCounts();
      const stop = deps.stop ?? new StopControl();
      const observers: RunObserver[] = [writer];
      const rowOptions = { op: options.op, dryRun: options.dryRun, strictGates: options.strictGates };
      const rows = manifestRows(source, options.op, check.defaults);
      concurrency.onChange = (c, was) => runLog.debug(`concurrency ${was} → ${c.limit} (${c.reason}${c.detail ? `: ${c.detail}` : ''})`);
      const execute = { concurrency: concurrency.limit.concurrency, limit: concurrency.limit, stopRequested: () => stop.requested, stopReason: () => `not started: ${stop.reason}` };
      await executeRows(rows, (row) => processRow(row, client, rowOptions), execute, (result, index) => {
        countResult(counts, result);
        for (const o of observers) o.onResult?.(result, index);
        logRow(runLog, log, result);
      });
      const summary: JobSummary = {
        ...counts,
        requests: client.stats.requests,
        retries: client.stats.retries,
        durationMs: deps.now().getTime() - started.getTime(),
        exitCode: stop.requested ? EXIT.aborted : exitCodeForCounts(counts),
      };
      for (const o of observers) await o.finish?.(summary);
      await writeArtefacts(outDir, info);
      runLog.info('job finished', { summary, concurrency: concurrency.describe() });
      return { summary, outDir };
    } finally {
      await runLog.close();
    }
  } finally {
    client.close();
  }
}

function logRow(runLog: Logger, console: Logger, r: RowResult): void {
  const meta = { line: r.line, id: r.id, status: r.status, attempts: r.attempts, changed: r.changed };
  if (r.status === 'failed' || r.status === 'conflict' || r.status === 'invalid') {
    console.warn(`line ${r.line} ${r.id}: ${r.status}: ${r.error}`, meta);
  } else runLog.debug(`line ${r.line} ${r.id}: ${r.status}`, meta);
  for (const w of r.warnings) runLog.warn(`line ${r.line} ${r.id}: ${w}`, { line: r.line, id: r.id });
}

/** reports/<job-name>-<UTC timestamp>, e.g. reports/clid-migration-20261130T101500Z */
export function defaultOutDir(name: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join('reports', `${name.replace(/[^\w.-]+/g, '_')}-${stamp}`);
}

/** Refuses a report folder that already holds files, so two runs never mix. */
async function refuseUsedOutDir(dir: string): Promise<void> {
  const existing = await readdir(dir).catch(() => []);
  if (existing.length) {
    throw new JobError('EINPUT', `report folder ${dir} is not empty`, ['Choose a new --out folder, or leave --out off for a fresh one.']);
  }
}
