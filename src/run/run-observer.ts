import type { JobSummary } from '../report/summarize.js';
import type { RowResult } from './row-result.js';

/**
 * Something that follows a run: a report file, the progress display, the failure budget.
 * `onResult` gets each row as it finishes (index = position in the manifest); `finish` runs once at the end.
 */
export type RunObserver = {
  onResult?(result: RowResult, index: number): void;
  finish?(summary: JobSummary): Promise<void>;
};
