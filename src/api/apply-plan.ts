import { applyPlan as applyEngine } from '../pipelines/apply-plan.js';
import { resolveApply, type ApplyOptions } from '../settings/resolve-apply.js';
import { checkOptionKeys, settingsFrom } from './job-settings.js';
import { checkConnection, redactingLogger, secretsFor, stopControlFor, type Internals, type LibraryContext } from './library-context.js';
import type { RunResult } from './run-job.js';
import type { RunObserver } from '../model/run-observer.js';

/** The flags of `odin-bulk apply`; settings left out are the plan's. */
export type ApplySettings = {
  /** A plan folder (from `planJob` / `odin-bulk plan --out DIR`) or its plan.json. */
  plan: string;
  /** Report folder. @default <plan folder>/apply-<UTC time>/ */
  out?: string;
  /** Write rows even when a planned field changed since the plan. @default false */
  force?: boolean;
  /** Rows in flight at once. @default the plan's */
  concurrency?: number;
  /** Requests per second; 0 = uncapped. @default the plan's */
  rate?: number;
  /** Retries per request. @default the plan's */
  retries?: number;
  /** Seconds to wait for each request. @default the plan's */
  timeout?: number;
  /** Stop when more rows fail: a count (25) or a share of finished rows ('10%'). @default '10%' once 20 rows are done */
  maxFailures?: number | string;
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
export async function applyResolvedPlan(apply: ApplyOptions, context: LibraryContext, internals: Internals<RunObserver> = {}): Promise<ApplyResult> {
  const connection = checkConnection(context.connection);
  const secrets = secretsFor(connection, internals.secrets);
  const { stop, detach } = stopControlFor(context.signal, internals.stop);
  try {
    const outcome = await applyEngine(apply, connection, {
      logger: redactingLogger(context.logger, secrets),
      secrets,
      now: internals.now ?? (() => new Date()),
      env: context.env ?? process.env,
      stop,
      observers: internals.observers ?? [],
    });
    const { header } = outcome.plan;
    return {
      job: header.job,
      operation: header.operation,
      dryRun: false,
      summary: outcome.summary,
      outDir: outcome.outDir,
      exitCode: outcome.summary.exitCode,
      ...(stop.reason === undefined ? {} : { stopReason: stop.reason }),
      kept: 0,
      plan: { file: outcome.plan.file, createdAt: header.createdAt },
    };
  } finally {
    detach();
  }
}
