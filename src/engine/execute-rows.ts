import type { LimitFunction } from 'p-limit';
import { skippedResult, type RowResult, type RowTarget } from '../model/row-result.js';

export type ExecuteOptions<T> = {
  /** The p-limit the rows run through (its concurrency may change during the run: `--concurrency auto`). */
  limit: LimitFunction;
  /** Asked before each row starts; once true, the rest become `skipped`. */
  stopRequested?: () => boolean;
  /** Why rows are skipped once stopped. */
  stopReason?: () => string;
  /** A result that stands from an earlier attempt (resume): the row is reported with it and not run again. */
  earlier?: (row: T) => RowResult | undefined;
  /**
   * Asked before a row starts (after `earlier`); may hold it back (waves: until the wave is finished and checked),
   * which pauses the reading of the input. A result instead means the row is not started (`waiting`).
   */
  admit?: (row: T) => Promise<RowResult | undefined>;
};

/** `earlier` is true for a result kept from an earlier attempt. */
export type OnResult = (result: RowResult, index: number, earlier: boolean) => void;

/** Rows reported ahead of the oldest unfinished one; bounds the reports' reorder buffer behind a slow row. */
export const REORDER_WINDOW = 1000;

/**
 * Runs rows through `work` with p-limit's concurrency, pulling from the (streamed) row source only as fast
 * as rows finish, so a 200,000-row manifest never sits in memory. Every row gets exactly one result.
 */
export async function executeRows<T extends RowTarget>(
  rows: AsyncIterable<T>,
  work: (row: T) => Promise<RowResult>,
  options: ExecuteOptions<T>,
  onResult: OnResult,
): Promise<void> {
  const { limit } = options;
  const stopped = options.stopRequested ?? (() => false);
  /** Unfinished rows by input index, oldest first. */
  const queued = new Map<number, Promise<void>>();
  /** Wakes the reading loop when a row finishes (one waiter at most: the loop). */
  let wake: (() => void) | undefined;
  let index = 0;
  let failure: unknown;

  for await (const row of rows) {
    if (failure) break;
    const at = index++;
    for (let oldest = queued.keys().next(); !oldest.done && at - oldest.value > REORDER_WINDOW; oldest = queued.keys().next()) {
      await queued.get(oldest.value);
    }
    const kept = options.earlier?.(row);
    if (kept) {
      onResult(kept, at, true);
      continue;
    }
    // Without waves there is nothing to wait for: no await (a microtask per row) on the way to the row.
    const held = options.admit ? await options.admit(row) : undefined;
    if (held) {
      onResult(held, at, false);
      continue;
    }
    if (stopped()) {
      onResult(skippedResult(row, options.stopReason?.()), at, false);
      continue;
    }
    // onResult runs inside the slot, so a stop it triggers is seen by the next row p-limit starts.
    const task = limit(async () => onResult(stopped() ? skippedResult(row, options.stopReason?.()) : await work(row), at, false))
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => {
        queued.delete(at);
        wake?.();
      });
    queued.set(at, task);
    // Keep a little work queued behind the running rows, no more. (One waiter, not a Promise.race over all rows.)
    while (queued.size >= limit.concurrency * 2) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  await Promise.all(queued.values());
  if (failure) throw failure;
}
