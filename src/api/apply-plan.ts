import { applyPlan as applyPipeline } from '../pipelines/apply-plan.js';
import { resolveApply, type ApplyOptions } from '../settings/resolve-apply.js';
import { checkOptionKeys, settingsFrom, type PacingSettings, type WaveSettings } from './job-settings.js';
import { checkConnection, withCallDeps, type Internals, type LibraryContext } from './library-context.js';
import type { RunResult } from './run-job.js';

/**
 * The flags of `odin-bulk apply`. `concurrency` (a number: no 'auto'), `rate`, `retries` and `timeout` left out are
 * the plan's; `maxFailures` is a run's default (10 % once 20 rows are done).
 */
export type ApplySettings = Pick<PacingSettings, 'rate' | 'retries' | 'timeout' | 'maxFailures'> & WaveSettings & {
  /** A plan folder (from `planJob` / `odin-bulk plan --out DIR`) or its plan.json. */
  plan: string;
  /** Report folder. @default <plan folder>/apply-<UTC time>/ */
  out?: string;
  /** Write rows even when a planned field changed since the plan. @default false */
  force?: boolean;
  /** Rows in flight at once. @default the plan's */
  concurrency?: number;
  /** user-services: a group that would run out of licences gets its rows written up to the limit, the rest skipped. @default false */
  allowPartial?: boolean;
};

export type ApplyPlanOptions = ApplySettings & LibraryContext;

/** What `odin-bulk apply` prints, as data; rows changed since the plan are counted in `summary.conflict`. */
export type ApplyResult = RunResult & {
  plan: { file: string; createdAt: string };
};

/**
 * Executes a reviewed plan as `odin-bulk apply` does: checks every planned row, re-reads each target, refuses
 * (conflict) rows changed since the plan unless `force`, and PUTs exactly the planned values.
 */
export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyResult> {
  checkOptionKeys('applyPlan', options);
  checkConnection(options.connection);
  return applyResolvedPlan(resolveApply(options.plan, settingsFrom('applyPlan', options)), options);
}

/** A plan applied with settings already checked; the CLI passes its interrupt switch. */
export async function applyResolvedPlan(apply: ApplyOptions, context: LibraryContext, internals: Internals = {}): Promise<ApplyResult> {
  const outcome = await withCallDeps(context, internals, (connection, deps) => applyPipeline(apply, connection, deps));
  const { header } = outcome.plan;
  return {
    job: header.job,
    operation: header.operation,
    dryRun: false,
    summary: outcome.summary,
    outDir: outcome.outDir,
    exitCode: outcome.summary.exitCode,
    ...(outcome.stopReason === undefined ? {} : { stopReason: outcome.stopReason }),
    kept: 0,
    plan: { file: outcome.plan.file, createdAt: header.createdAt },
  };
}
