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
