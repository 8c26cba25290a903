import type { ExitCode } from './errors.js';
import { isFailure, isGateWarning, type RowResult, type RowStatus } from './row-result.js';
import type { WavesSummary } from './waves.js';

/** A run's summary: summary.json, the console summary, `--json`, the library's results. */
export type JobSummary = {
  total: number;
  updated: number;
  unchanged: number;
  planned: number;
  failed: number;
  invalid: number;
  skipped: number;
  conflict: number;
  /** Rows held back by a canary or a wave, left for `--resume` (absent in folders written before canaries). */
  waiting?: number;
  /** Rows that carry a warning (e.g. a change a gate leaves without effect). */
  warnings: number;
  /** Rows with a change that a gate flag (useUser…Setting false) leaves without effect. */
  gateWarnings?: number;
  requests: number;
  retries: number;
  durationMs: number;
  exitCode: ExitCode;
  /** A job of several steps: each step's rows by status (summary.json; a row that sets nothing in a step is not counted in it). */
  steps?: Record<string, StepCounts>;
  /** `--canary` / `--waves`: what each wave did. */
  waves?: WavesSummary;
};

/** One step's rows by status. */
export type StepCounts = Partial<Record<RowStatus, number>>;

/** Rows counted by status as they finish. `failures` counts the rows the command's exit code treats as failed. */
export type StatusCounts = Record<RowStatus, number> & { total: number; warnings: number; gateWarnings: number; failures: number; steps?: Record<string, StepCounts> };

/** `steps`: a job of several steps, its operations in order (each step's rows are counted too). */
export function emptyCounts(steps?: readonly string[]): StatusCounts {
  const counts: StatusCounts = { total: 0, updated: 0, unchanged: 0, planned: 0, failed: 0, conflict: 0, invalid: 0, skipped: 0, waiting: 0, warnings: 0, gateWarnings: 0, failures: 0 };
  if (steps) counts.steps = Object.fromEntries(steps.map((s) => [s, {}]));
  return counts;
}

/** Counts one row. `failing` says which rows count as failures (export leaves users without the service out). */
export function countResult(counts: StatusCounts, result: RowResult, failing: (r: RowResult) => boolean = isFailure): void {
  counts.total++;
  counts[result.status]++;
  if (failing(result)) counts.failures++;
  if (result.warnings.length) counts.warnings++;
  if (result.warnings.some(isGateWarning)) counts.gateWarnings++;
  for (const step of result.steps ?? []) {
    const own = counts.steps?.[step.operation];
    if (own) own[step.status] = (own[step.status] ?? 0) + 1;
  }
}

/** The summary of counted rows, in summary.json's key order. */
export function toSummary(c: StatusCounts, run: Pick<JobSummary, 'requests' | 'retries' | 'durationMs' | 'exitCode'> & { waves?: WavesSummary }): JobSummary {
  const { total, updated, unchanged, planned, failed, conflict, invalid, skipped, waiting, warnings, gateWarnings, steps } = c;
  const { waves, ...rest } = run;
  // `waiting` only when a canary or a wave held rows back: summary.json of other runs keeps its keys.
  return { total, updated, unchanged, planned, failed, conflict, invalid, skipped, ...(waiting || waves ? { waiting } : {}), warnings, gateWarnings, ...rest, ...(steps ? { steps } : {}), ...(waves ? { waves } : {}) };
}
