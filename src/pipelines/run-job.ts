import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../client/odin-client.js';
import type { Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { createFileLogger, teeLogger, type ClosableLogger, type Logger } from '../logging/create-logger.js';
import type { Secrets } from '../logging/secrets.js';
import type { ManifestRow } from '../manifest/types.js';
import { runInfoFor, writeRunInfo } from '../records/run-info.js';
import { resumeVersionWarning } from '../report/version-check.js';
import { writeArtefacts } from '../report/write-artefacts.js';
import { ReportWriter, REPORT_FILES } from '../report/report-writer.js';
import { WriteLog } from '../records/write-log.js';
import { runExitCode } from '../model/errors.js';
import { countResult, emptyCounts, toSummary, type JobSummary } from '../model/summary.js';
import { PlanWriter } from '../report/plan-writer.js';
import { planHeaderFor } from '../records/plan-file.js';
import { concurrencyPlan } from '../engine/concurrency-plan.js';
import { executeRows } from '../engine/execute-rows.js';
import { claimReportFolder } from '../report/folder-lock.js';
import { checkInput, type JobInput } from '../sources/job-input.js';
import { FailureBudgetObserver } from '../engine/failure-budget.js';
import { DEFAULT_FAILURE_BUDGET } from '../settings/max-failures.js';
import { checkJournalRow, checkResumable, openResume, type ResumeState } from '../resume/open-resume.js';
import { processRow, type RowOptions } from '../steps/process-row.js';
import type { RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { StopControl } from '../engine/stop-control.js';
import { streakLimit, SystemicFailureDetector } from '../engine/systemic-failure.js';
import { countOf } from '../util/plural.js';

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

export type JobOutcome = {
  summary: JobSummary;
  outDir: string;
  /** Why the run stopped early (interrupt, failure budget, systemic failure); undefined when it ran to the end. */
  stopReason?: string;
  /** Rows whose result was kept from the journal of an earlier attempt (--resume). */
  kept: number;
};

/** validate → log in → read, compare, write each row → reports. Row failures are results; job failures throw JobError. */
export async function runJob(options: JobOptions, connection: Connection, deps: JobDeps): Promise<JobOutcome> {
  const started = deps.now();
  const outDir = options.outDir ?? defaultOutDir(options.name, started);
  // A resume refused here has sent nothing; a fresh run never writes into a used folder.
  const resumed = options.resume ? await checkResumable(outDir, options) : undefined;
  const input = await checkInput(options);
  for (const line of input.warnings) deps.logger.warn(line);
  // Before any request: of two runs given one folder, only one goes on (a resume takes the same lock).
  const lock = await claimReportFolder(outDir, { command: options.dryRun ? 'plan' : 'run', resume: resumed !== undefined, now: deps.now });
  try {
    const resume = resumed && (await openResume(outDir, resumed, input.defaults, options.retryFailed));
    return await runInFolder(options, connection, deps, { started, outDir, input, resume });
  } finally {
    await lock.release();
  }
}

type Claimed = { started: Date; outDir: string; input: JobInput; resume: ResumeState | undefined };

/** The run itself, once its report folder is claimed: log in, run every row, write the reports. */
async function runInFolder(options: JobOptions, connection: Connection, deps: JobDeps, { started, outDir, input, resume }: Claimed): Promise<JobOutcome> {
  const stop = deps.stop ?? new StopControl();
  const concurrency = concurrencyPlan(options);
  const client = deps.createClient
    ? deps.createClient(connection, options)
    : createOdinClient(
        { ...connection, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs, signal: stop.signal },
        { secrets: deps.secrets, observer: concurrency.observer },
      );
  try {
    const finishedEarlier = resume?.journal.finishedCount ?? 0;
    // Resuming a finished run sends nothing, not even a login. (A group target's size is known only after listing.)
    if (input.rowCount === undefined || input.rowCount > finishedEarlier) await client.start();
    const opened = await input.open(client);
    const toDo = opened.count - finishedEarlier;
    const info = resume?.info ?? runInfoFor(options, opened.hash, input.fieldsUsed, started, input.defaults);
    if (!resume) await writeRunInfo(outDir, info);
    // Each PUT is recorded before it is sent, so a resume after a crash still knows what it may have changed.
    const writes = options.dryRun ? undefined : new WriteLog(join(outDir, REPORT_FILES.writes), (text) => deps.secrets.redact(text));
    const runLog = (deps.openRunLog ?? createFileLogger)(join(outDir, REPORT_FILES.log), deps.secrets);
    const log = teeLogger(deps.logger, runLog);
    try {
      log.debug(`job "${options.name}": ${countOf(opened.count, 'row')} from ${input.source}`, { operation: options.op.name, dryRun: options.dryRun });
      if (resume) {
        const { finishedCount, repairedBytes } = resume.journal;
        log.info(`Resuming ${outDir}: ${finishedCount} of ${countOf(opened.count, 'row')} finished earlier and ${finishedCount === 1 ? 'is' : 'are'} kept; ${toDo} to do`);
        if (repairedBytes) log.warn(`the journal ended in a half-written line (${repairedBytes} bytes, a crash mid-write): cut off; that row is redone`);
        const otherVersion = resumeVersionWarning(outDir, resume.info.odinBulkVersion);
        if (otherVersion) log.warn(otherVersion);
      }
      const writer = new ReportWriter({ dir: outDir, op: options.op, fieldsUsed: input.fieldsUsed }, deps.secrets);
      const counts = emptyCounts();
      let kept = 0;
      let announced = false;
      const planWriter = options.dryRun ? new PlanWriter(outDir, planHeaderFor(info), deps.secrets) : undefined;
      const observers: RunObserver[] = [
        writer,
        ...(planWriter ? [planWriter] : []),
        new FailureBudgetObserver(options.maxFailures ?? DEFAULT_FAILURE_BUDGET, stop),
        new SystemicFailureDetector(streakLimit(concurrency.limit.concurrency), stop, options.op),
        ...(deps.observers ?? []),
      ];
      const rowOptions: RowOptions = {
        op: options.op,
        dryRun: options.dryRun,
        strictGates: options.strictGates,
        recordWrite: writes && ((row, before, changed) => writes.record(row, before, changed)),
      };
      concurrency.onChange = (c, was) => runLog.debug(`concurrency ${was} → ${c.limit} (${c.reason}${c.detail ? `: ${c.detail}` : ''})`);
      for (const o of observers) o.start?.({ total: toDo, stats: client.stats });
      const execute = {
        concurrency: concurrency.limit.concurrency,
        limit: concurrency.limit,
        stopRequested: () => stop.requested,
        stopReason: () => `not started: ${stop.reason}`,
        earlier: resume && ((row: ManifestRow) => {
          checkJournalRow(resume.journal, row.line, row.id, outDir);
          return resume.journal.finished(row.line);
        }),
      };
      const work = async (row: ManifestRow) => cutShort(await processRow(row, client, rowOptions, resume?.writes.get(row.line)), stop);
      await executeRows(opened.rows, work, execute, (result, index, earlier) => {
        countResult(counts, result);
        if (earlier) {
          kept++;
          writer.replay(result, index);
          planWriter?.onResult(result, index);
          return;
        }
        for (const o of observers) o.onResult?.(result, index);
        logRow(runLog, log, result);
        if (stop.requested && !announced) {
          announced = true;
          log.warn(`stopping: ${stop.reason}; rows in flight finish, rows not started are skipped`);
        }
      });
      const summary: JobSummary = toSummary(counts, {
        requests: client.stats.requests,
        retries: client.stats.retries,
        durationMs: deps.now().getTime() - started.getTime(),
        exitCode: runExitCode(counts, { aborted: stop.requested, abortExitCode: stop.exitCode, failOnChanges: options.failOnChanges }),
      });
      for (const o of observers) await o.finish?.(summary);
      const artefacts = await writeArtefacts(outDir, info, { env: deps.env });
      for (const warning of artefacts.warnings) log.warn(warning);
      runLog.info(stop.requested ? `job stopped early: ${stop.reason}` : 'job finished', { summary, concurrency: concurrency.describe() });
      return { summary, outDir, stopReason: stop.reason, kept };
    } finally {
      writes?.close();
      await runLog.close();
    }
  } finally {
    client.close();
    resume?.journal.close();
  }
}

/** A row that failed after the requests in flight were aborted had its retries cut short: not final, a resume redoes it. */
function cutShort(result: RowResult, stop: StopControl): RowResult {
  if (!stop.aborted || result.status !== 'failed' || result.errorCode === 'INTERRUPTED') return result;
  return { ...result, errorCode: 'INTERRUPTED', error: `interrupted while retrying (${result.error})` };
}

export function logRow(runLog: Logger, console: Logger, r: RowResult): void {
  const meta = { line: r.line, id: r.id, status: r.status, requests: r.requests, changed: r.changed };
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

