import type { OperationDef } from '../operations/types.js';

/** Everything a run needs to know, after the job file, flags and defaults are merged and checked. */
export type JobOptions = {
  name: string;
  op: OperationDef;
  /** Path of the manifest file. */
  manifest: string;
  /** Job-file defaults, checked against the operation with the manifest; `file` names where they came from. */
  defaults: { values: Record<string, unknown>; file: string };
  /** Rows in flight at once, or 'auto': adapted to the server's answers (AIMD), up to maxConcurrency. @default 4 */
  concurrency: number | 'auto';
  /** Ceiling for `concurrency: 'auto'`. @default 64 */
  maxConcurrency: number;
  /** Requests per second for the whole run; 0 = uncapped. @default 5 */
  rate: number;
  /** Retries per request for transient failures. @default 4 */
  retries: number;
  /** Per-request timeout in milliseconds. @default 30000 */
  timeoutMs: number;
  /** Read and compare only; no PUT. */
  dryRun: boolean;
  /** Refuse (status invalid) a change that a gate flag leaves without effect. */
  strictGates: boolean;
  /** Report folder; undefined = reports/<name>-<UTC timestamp>/. */
  outDir?: string;
};

export const DEFAULTS = { concurrency: 4, maxConcurrency: 64, rate: 5, retries: 4, timeoutMs: 30_000 } as const;

/** Limits for settings, shared by the job-file and flag checks. */
export const LIMITS = {
  concurrency: { min: 1, max: 256 },
  maxConcurrency: { min: 1, max: 256 },
  rate: { min: 0, max: 10_000 },
  retries: { min: 0, max: 20 },
  timeoutMs: { min: 100, max: 3_600_000 },
} as const;
