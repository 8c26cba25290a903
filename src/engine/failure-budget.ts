import { isPending, type RowErrorCode, type RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { countOf } from '../util/plural.js';
import type { FailureBudget } from '../settings/max-failures.js';

/**
 * Stops the run once more rows failed than the budget allows. Counts only rows this run finished: rows kept
 * from an earlier attempt (resume), skipped rows and rows cut short by an interrupt are not counted. Rows of
 * users without the service (NOT_ASSIGNED) are not counted either: nothing was sent to them, and they say
 * nothing about whether the writes work (they stay failed, in failed.csv). Nor are rows of the service assignment
 * refused before their write (UNKNOWN_NAME: a name the user's list lacks; NO_LICENCE: the group's licences), for
 * the same reason.
 */
/** Failures of rows to which nothing was written, refused for what they are, not for how the server answers. */
const NOT_COUNTED: ReadonlySet<RowErrorCode | undefined> = new Set(['NOT_ASSIGNED', 'UNKNOWN_NAME', 'NO_LICENCE']);

export class FailureBudgetObserver implements RunObserver {
  private finished = 0;
  private failed = 0;

  constructor(
    private readonly budget: FailureBudget,
    private readonly stop: { stop(reason: string): void },
  ) {}

  onResult(result: RowResult): void {
    if (isPending(result) || result.errorCode === 'INTERRUPTED' || NOT_COUNTED.has(result.errorCode)) return;
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
