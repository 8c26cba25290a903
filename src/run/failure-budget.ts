import type { RowResult } from './row-result.js';
import type { RunObserver } from './run-observer.js';
import { countOf } from '../util/plural.js';

/** How many failed rows a run tolerates before it stops: a count, or a share of the rows finished so far. */
export type FailureBudget =
  | { kind: 'count'; max: number }
  /** Judged only once `minRows` rows are finished, so a few early failures do not stop a run. */
  | { kind: 'percent'; percent: number; minRows: number };

/** Rows finished before a percentage budget is judged. */
export const BUDGET_MIN_ROWS = 20;
/** @default 10 % once 20 rows are finished */
export const DEFAULT_FAILURE_BUDGET: FailureBudget = { kind: 'percent', percent: 10, minRows: BUDGET_MIN_ROWS };

/** `5` → at most 5 failed rows; `10%` → at most 10 % of the finished rows. Returns a message when invalid. */
export function parseFailureBudget(value: unknown): FailureBudget | { problem: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const percent = text === undefined ? null : /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) {
    const p = Number(percent[1]);
    if (p <= 100) return { kind: 'percent', percent: p, minRows: BUDGET_MIN_ROWS };
  } else if (text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(Number(text))) {
    return { kind: 'count', max: Number(text) };
  }
  return { problem: `must be a whole number of rows (e.g. 25) or a percentage from 0% to 100% (e.g. 10%), got ${JSON.stringify(value)}` };
}

export function describeBudget(budget: FailureBudget): string {
  return budget.kind === 'count' ? countOf(budget.max, 'failed row') : `${budget.percent}% of finished rows (judged from ${budget.minRows} rows on)`;
}

/**
 * Stops the run once more rows failed than the budget allows. Counts only rows this run finished: rows kept
 * from an earlier attempt (resume), skipped rows and rows cut short by an interrupt are not counted. Rows of
 * users without the service (NOT_ASSIGNED) are not counted either: nothing was sent to them, and they say
 * nothing about whether the writes work (they stay failed, in failed.csv).
 */
export class FailureBudgetObserver implements RunObserver {
  private finished = 0;
  private failed = 0;

  constructor(
    private readonly budget: FailureBudget,
    private readonly stop: { stop(reason: string): void },
  ) {}

  onResult(result: RowResult): void {
    if (result.status === 'skipped' || result.errorCode === 'INTERRUPTED' || result.errorCode === 'NOT_ASSIGNED') return;
    this.finished++;
    if (result.status !== 'failed') return;
    this.failed++;
    const why = this.exceeded();
    if (why) this.stop.stop(`failure budget exceeded: ${why} (--max-failures)`);
  }

  private exceeded(): string | undefined {
    const { budget, failed, finished } = this;
    if (budget.kind === 'count') {
      return failed > budget.max ? `${countOf(failed, 'row')} failed, more than the ${budget.max} allowed` : undefined;
    }
    const share = (failed / finished) * 100;
    if (finished < budget.minRows || share <= budget.percent) return undefined;
    return `${failed} of ${finished} finished rows failed (${formatPercent(share)}), more than the ${budget.percent}% allowed`;
  }
}

function formatPercent(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}
