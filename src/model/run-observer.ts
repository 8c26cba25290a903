import type { JobSummary } from './summary.js';
import type { RowResult } from './row-result.js';

/** What an observer learns when the rows start: how many there are, and the client's live request counters. */
export type RunStart = {
  total: number;
  stats: { readonly requests: number; readonly retries: number };
};

/**
 * Something that follows a run: a report file, the progress display, the failure budget.
 * `start` runs once before the first row; `onResult` gets each row as it finishes (index = position in the
 * input); `replay` gets a row whose result stands from an earlier attempt (a resume), which was not run again;
 * `finish` runs once at the end.
 */
export type RunObserver = {
  start?(run: RunStart): void;
  onResult?(result: RowResult, index: number): void;
  replay?(result: RowResult, index: number): void;
  finish?(summary: JobSummary): Promise<void>;
};
