import pLimit, { type LimitFunction } from 'p-limit';
import type { ManifestRow } from '../manifest/types.js';
import type { RowResult } from './row-result.js';

export type ExecuteOptions = {
  /** Rows in flight at once. */
  concurrency: number;
  /** A p-limit to run the rows through instead (its concurrency may change during the run: `--concurrency auto`). */
  limit?: LimitFunction;
  /** Asked before each row starts; once true, the rest become `skipped`. */
  stopRequested?: () => boolean;
  /** Why rows are skipped once stopped. */
  stopReason?: () => string;
};

/**
 * Runs rows through `work` with p-limit's concurrency, pulling from the (streamed) row source only as fast
 * as rows finish, so a 200,000-row manifest never sits in memory. Every row gets exactly one result.
 */
export async function executeRows(
  rows: AsyncIterable<ManifestRow>,
  work: (row: ManifestRow) => Promise<RowResult>,
  options: ExecuteOptions,
  onResult: (result: RowResult, index: number) => void,
): Promise<void> {
  const limit = options.limit ?? pLimit(options.concurrency);
  const stopped = options.stopRequested ?? (() => false);
  const queued = new Set<Promise<void>>();
  let index = 0;
  let failure: unknown;

  for await (const row of rows) {
    if (failure) break;
    const at = index++;
    if (stopped()) {
      onResult(skippedResult(row, options.stopReason?.()), at);
      continue;
    }
    const task = limit(() => (stopped() ? skippedResult(row, options.stopReason?.()) : work(row)))
      .then((result) => onResult(result, at))
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => queued.delete(task));
    queued.add(task);
    // Keep a little work queued behind the running rows, no more.
    if (queued.size >= limit.concurrency * 2) await Promise.race(queued);
  }
  await Promise.all(queued);
  if (failure) throw failure;
}

export function skippedResult(row: ManifestRow, reason = 'not started: the run stopped'): RowResult {
  return {
    line: row.line,
    key: row.key,
    id: row.id,
    status: 'skipped',
    requested: row.fields,
    before: null,
    after: null,
    changed: [],
    attempts: 0,
    error: reason,
    warnings: [],
  };
}
