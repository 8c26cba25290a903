import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../client/odin-client.js';
import { JobError } from '../errors.js';
import type { Connection } from '../job/connection.js';
import type { JobOptions } from '../job/job-options.js';
import { createFileLogger, teeLogger, type ClosableLogger, type Logger } from '../logging/create-logger.js';
import type { Secrets } from '../logging/secrets.js';
import { runInfoFor, writeRunInfo } from '../report/run-info.js';
import { writeArtefacts } from '../report/write-artefacts.js';
import { ReportWriter, REPORT_FILES } from '../report/report-writer.js';
import { runExitCode } from '../report/run-exit-code.js';
import { countResult, emptyCounts, type JobSummary } from '../report/summarize.js';
import { executeRows } from './execute-rows.js';
import { checkInput } from './job-input.js';
import { processRow } from './process-row.js';
import { shardRows } from './shard-rows.js';
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
  /** Extra followers of the run (e.g. the progress display); they see every row after the report writer. */
  observers?: RunObserver[];
  /** The caller's environment, for the artefacts (GITHUB_STEP_SUMMARY); never read from process.env here. */
  env?: Readonly<Record<string, string | undefined>>;
};

export type JobOutcome = { summary: JobSummary; outDir: string };

/** validate → log in → read, compare, write each row → reports. Row failures are results; job failures throw JobError. */
export async function runJob(options: JobOptions, connection: Connection, deps: JobDeps): Promise<JobOutcome> {
  const started = deps.now();
  const input = await checkInput(options);
  const outDir = options.outDir ?? defaultOutDir(options.name, started);
  await refuseUsedOutDir(outDir);
  const client = deps.createClient
    ? deps.createClient(connection, options)
    : createOdinClient({ ...connection, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs }, { secrets: deps.secrets });
  try {
    await client.start();
    const opened = await input.open(client);
    await mkdir(outDir, { recursive: true });
    const info = runInfoFor(options, opened.hash, input.fieldsUsed, started);
    await writeRunInfo(outDir, info);
    const runLog = (deps.openRunLog ?? createFileLogger)(join(outDir, REPORT_FILES.log), deps.secrets);
    const log = teeLogger(deps.logger, runLog);
    try {
      log.debug(`job "${options.name}": ${opened.count} rows from ${input.source}`, { operation: options.op.name, dryRun: options.dryRun });
      const writer = new ReportWriter({ dir: outDir, op: options.op, fieldsUsed: input.fieldsUsed }, deps.secrets);
      const counts = emptyCounts();
      const stop = deps.stop ?? new StopControl();
      const observers: RunObserver[] = [writer, ...(deps.observers ?? [])];
      const rowOptions = { op: options.op, dryRun: options.dryRun, strictGates: options.strictGates };
      const rows = shardRows(opened.rows, options.shard);
      const execute = { concurrency: options.concurrency, stopRequested: () => stop.requested, stopReason: () => `not started: ${stop.reason}` };
      for (const o of observers) o.start?.({ total: opened.count, stats: client.stats });
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
        exitCode: runExitCode(counts, { aborted: stop.requested, failOnChanges: options.failOnChanges }),
      };
      for (const o of observers) await o.finish?.(summary);
      const artefacts = await writeArtefacts(outDir, info, { env: deps.env });
      for (const warning of artefacts.warnings) log.warn(warning);
      runLog.info('job finished', { summary });
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
