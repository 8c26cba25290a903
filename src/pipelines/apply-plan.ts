import { basename, join } from 'node:path';
import { createOdinClient } from '../client/odin-client.js';
import type { Connection } from '../settings/connection.js';
import { createFileLogger, teeLogger } from '../logging/create-logger.js';
import { writeRunInfo, RUN_INFO_VERSION, type RunInfo } from '../records/run-info.js';
import { ReportWriter, REPORT_FILES } from '../report/report-writer.js';
import { runExitCode } from '../model/errors.js';
import { countResult, emptyCounts, toSummary, type JobSummary } from '../model/summary.js';
import { writeArtefacts } from '../report/write-artefacts.js';
import { executeRows } from '../engine/execute-rows.js';
import { claimReportFolder } from '../report/folder-lock.js';
import { defaultOutDir, logRow, type JobDeps, type JobOutcome } from './run-job.js';
import type { RunObserver } from '../model/run-observer.js';
import { FailureBudgetObserver } from '../engine/failure-budget.js';
import { concurrencyPlan } from '../engine/concurrency-plan.js';
import { StopControl } from '../engine/stop-control.js';
import { SETTINGS } from '../settings/settings-table.js';
import { VERSION } from '../version.js';
import { streakLimit, SystemicFailureDetector } from '../engine/systemic-failure.js';
import type { ApplyOptions } from '../settings/resolve-apply.js';
import { applyRow } from '../steps/apply-row.js';
import { checkPlanRows, planRows, type ApplyRow } from '../sources/plan-rows.js';
import { openPlan, type OpenedPlan } from '../sources/read-plan.js';
import { countOf } from '../util/plural.js';

export type { ApplyOptions };

export type ApplyOutcome = JobOutcome & { plan: OpenedPlan };

/** plan.json → check every row → log in → re-read, compare with the plan, PUT exactly the plan → reports. */
export async function applyPlan(options: ApplyOptions, connection: Connection, deps: JobDeps): Promise<ApplyOutcome> {
  const started = deps.now();
  const plan = await openPlan(options.plan);
  const check = await checkPlanRows(plan);
  const outDir = options.outDir ?? join(plan.dir, basename(defaultOutDir('apply', started)));
  const lock = await claimReportFolder(outDir, { command: 'apply', now: deps.now });
  try {
    return await applyInFolder(options, connection, deps, { started, plan, check, outDir });
  } finally {
    await lock.release();
  }
}

type Claimed = { started: Date; plan: OpenedPlan; check: Awaited<ReturnType<typeof checkPlanRows>>; outDir: string };

async function applyInFolder(options: ApplyOptions, connection: Connection, deps: JobDeps, { started, plan, check, outDir }: Claimed): Promise<ApplyOutcome> {
  const { header, op } = plan;
  const settings = {
    ...header.settings,
    ...defined({ concurrency: options.concurrency, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs }),
  };
  const stop = deps.stop ?? new StopControl();
  const concurrency = concurrencyPlan({ concurrency: settings.concurrency, maxConcurrency: SETTINGS.maxConcurrency.default });
  const client = createOdinClient(
    { ...connection, rate: settings.rate, retries: settings.retries, timeoutMs: settings.timeoutMs, signal: stop.signal },
    { secrets: deps.secrets, observer: concurrency.observer },
  );
  try {
    await client.start();
    const info: RunInfo = {
      version: RUN_INFO_VERSION,
      odinBulkVersion: VERSION,
      job: header.job,
      operation: op.name,
      keyFields: [...op.keyFields],
      manifest: header.manifest,
      manifestHash: header.manifestHash,
      fieldsUsed: header.fieldsUsed,
      dryRun: false,
      startedAt: started.toISOString(),
      settings: { ...settings, strictGates: false },
      plan: { file: plan.file, createdAt: header.createdAt, force: options.force },
    };
    await writeRunInfo(outDir, info);
    const runLog = (deps.openRunLog ?? createFileLogger)(join(outDir, REPORT_FILES.log), deps.secrets);
    const log = teeLogger(deps.logger, runLog);
    try {
      log.debug(`apply ${plan.file}: ${check.planned} of ${countOf(check.rowCount, 'row')} planned to change`, { operation: op.name, force: options.force });
      const writer = new ReportWriter({ dir: outDir, op, fieldsUsed: header.fieldsUsed }, deps.secrets);
      const observers: RunObserver[] = [
        writer,
        new FailureBudgetObserver(options.maxFailures, stop),
        new SystemicFailureDetector(streakLimit(concurrency.limit.concurrency), stop, op),
        ...(deps.observers ?? []),
      ];
      for (const o of observers) o.start?.({ total: check.rowCount, stats: client.stats });
      const counts = emptyCounts();
      const execute = { concurrency: concurrency.limit.concurrency, limit: concurrency.limit, stopRequested: () => stop.requested, stopReason: () => `not started: ${stop.reason}` };
      await executeRows(planRows(plan), (row) => applyRow(row as ApplyRow, client, { op, force: options.force }), execute, (result, index) => {
        countResult(counts, result);
        for (const o of observers) o.onResult?.(result, index);
        logRow(runLog, log, result);
      });
      const summary: JobSummary = toSummary(counts, {
        requests: client.stats.requests,
        retries: client.stats.retries,
        durationMs: deps.now().getTime() - started.getTime(),
        exitCode: runExitCode(counts, { aborted: stop.requested, abortExitCode: stop.exitCode, failOnChanges: false }),
      });
      for (const o of observers) await o.finish?.(summary);
      const artefacts = await writeArtefacts(outDir, info, { env: deps.env });
      for (const warning of artefacts.warnings) log.warn(warning);
      runLog.info('apply finished', { summary });
      return { summary, outDir, plan, kept: 0 };
    } finally {
      await runLog.close();
    }
  } finally {
    client.close();
  }
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
