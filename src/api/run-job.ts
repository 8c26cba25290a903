import type { ExitCode } from '../model/errors.js';
import type { JobOptions } from '../settings/job-options.js';
import { resolveJob } from '../settings/resolve-job.js';
import type { JobSummary } from '../model/summary.js';
import { runJob as runPipeline } from '../pipelines/run-job.js';
import { checkOptionKeys, settingsFrom, type RunSettings, type WaveSettings } from './job-settings.js';
import { checkConnection, withCallDeps, type Internals, type LibraryContext } from './library-context.js';

export type RunJobOptions = RunSettings & LibraryContext;

export type PlanJobOptions = Omit<RunSettings, keyof WaveSettings> &
  LibraryContext & {
    /** Exit code 5 when any row would change: a drift check. @default false */
    failOnChanges?: boolean;
  };

/** What `odin-bulk run` and `odin-bulk plan` print at the end, as data. */
export type RunResult = {
  /** The job's name (report folder name, summary). */
  job: string;
  operation: string;
  /** True for a plan: nothing was written to Odin. */
  dryRun: boolean;
  /** The counts, requests and duration: the report folder's summary.json. */
  summary: JobSummary;
  /** The report folder: results.csv, rollback.csv, journal.ndjson, summary.md, … (and plan.json for a plan). */
  outDir: string;
  /** The exit code the CLI ends with: 0 ok, 1 rows failed, 4 stopped early, 5 changes pending (plan with failOnChanges). */
  exitCode: ExitCode;
  /** Why the run stopped before the end (signal, failure budget, systemic failure); undefined when it ran to the end. */
  stopReason?: string;
  /** Rows whose result was kept from the earlier attempt (`resume`). */
  kept: number;
};

/**
 * Runs a job as `odin-bulk run` does: validates the whole manifest (JobError EMANIFEST_INVALID, nothing sent),
 * logs in, reads each target, writes what differs, and writes the report folder. Row failures are counted in the
 * result, not thrown; a job that cannot start throws a JobError whose `exitCode` is the CLI's.
 */
export async function runJob(options: RunJobOptions): Promise<RunResult> {
  checkOptionKeys('runJob', options);
  checkConnection(options.connection);
  const job = await resolveJob(settingsFrom('runJob', options), options.env ?? process.env);
  return runResolvedJob(job, options);
}

/** Reads and compares only, as `odin-bulk plan` does: no PUT is sent; the report folder holds plan.json for `applyPlan`. */
export async function planJob(options: PlanJobOptions): Promise<RunResult> {
  checkOptionKeys('planJob', options);
  checkConnection(options.connection);
  const job = await resolveJob({ ...settingsFrom('planJob', options), dryRun: true }, options.env ?? process.env);
  return runResolvedJob(job, options);
}

/** A run of settings already resolved (the CLI resolves them itself: it prints the resume command before the run). */
export async function runResolvedJob(job: JobOptions, context: LibraryContext, internals: Internals = {}): Promise<RunResult> {
  const outcome = await withCallDeps(context, internals, (connection, deps) => runPipeline(job, connection, deps));
  return {
    job: job.name,
    operation: job.op.name,
    dryRun: job.dryRun,
    summary: outcome.summary,
    outDir: outcome.outDir,
    exitCode: outcome.summary.exitCode,
    ...(outcome.stopReason === undefined ? {} : { stopReason: outcome.stopReason }),
    kept: outcome.kept,
  };
}
