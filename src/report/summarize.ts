import { EXIT, type ExitCode } from '../errors.js';
import { isGateWarning } from '../run/gate-warnings.js';
import type { RowResult, RowStatus } from '../run/row-result.js';

export type JobSummary = {
  total: number;
  updated: number;
  unchanged: number;
  planned: number;
  failed: number;
  invalid: number;
  skipped: number;
  conflict: number;
  /** Rows that carry a warning (e.g. a change a gate leaves without effect). */
  warnings: number;
  /** Rows with a change that a gate flag (useUser…Setting false) leaves without effect. */
  gateWarnings?: number;
  requests: number;
  retries: number;
  durationMs: number;
  exitCode: ExitCode;
};

export type StatusCounts = Record<RowStatus, number> & { total: number; warnings: number; gateWarnings: number };

export function emptyCounts(): StatusCounts {
  return { total: 0, updated: 0, unchanged: 0, planned: 0, failed: 0, conflict: 0, invalid: 0, skipped: 0, warnings: 0, gateWarnings: 0 };
}

export function countResult(counts: StatusCounts, result: RowResult): void {
  counts.total++;
  counts[result.status]++;
  if (result.warnings.length) counts.warnings++;
  if (result.warnings.some(isGateWarning)) counts.gateWarnings++;
}

/** 0 when every row ended well, 1 when some failed; an abort (4) is decided by the caller. */
export function exitCodeForCounts(counts: StatusCounts): ExitCode {
  return counts.failed + counts.conflict + counts.invalid > 0 ? EXIT.rowsFailed : EXIT.ok;
}
