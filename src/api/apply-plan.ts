import { LIMITS } from '../settings/job-options.js';
import { inputError } from '../settings/resolve-job.js';
import type { Problem } from '../manifest/types.js';
import { applyPlan as applyEngine, type ApplyOptions } from '../pipelines/apply-plan.js';
import { checkOptionKeys } from './job-settings.js';
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
  return applyResolvedPlan(resolveApply(options), options);
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

/** Settings → ApplyOptions; bad numbers are an input error (JobError EINPUT, exit 2) naming the flag. */
export function resolveApply(settings: ApplySettings): ApplyOptions {
  const problems: Problem[] = [];
  const checked = (flag: string, field: keyof typeof LIMITS, value: number | undefined, integer = true, scale = 1): number | undefined => {
    if (value === undefined) return undefined;
    const [min, max] = [LIMITS[field].min / scale, LIMITS[field].max / scale];
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      problems.push({ file: 'command line', field: flag, message: `must be from ${min} to ${max}, got ${value}` });
    }
    return value;
  };
  const timeout = checked('--timeout', 'timeoutMs', settings.timeout, false, 1000);
  const options: ApplyOptions = {
    plan: settings.plan,
    outDir: settings.out,
    force: settings.force ?? false,
    concurrency: checked('--concurrency', 'concurrency', settings.concurrency),
    rate: checked('--rate', 'rate', settings.rate, false),
    retries: checked('--retries', 'retries', settings.retries),
    timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
  };
  if (typeof options.plan !== 'string' || options.plan === '') {
    problems.push({ file: 'command line', field: 'plan', message: 'name the plan folder (from odin-bulk plan --out DIR) or its plan.json' });
  }
  if (problems.length) throw inputError('invalid settings', problems);
  return options;
}
