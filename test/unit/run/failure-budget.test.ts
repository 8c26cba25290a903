import { describe, expect, it } from '@jest/globals';
import { FailureBudgetObserver } from '../../../src/engine/failure-budget.js';
import { DEFAULT_FAILURE_BUDGET, parseFailureBudget, type FailureBudget } from '../../../src/settings/max-failures.js';
import type { RowResult, RowStatus } from '../../../src/model/row-result.js';
import { StopControl } from '../../../src/engine/stop-control.js';

let line = 1;
function row(status: RowStatus, patch: Partial<RowResult> = {}): RowResult {
  const l = line++;
  return { line: l, key: { userId: `u${l}` }, id: `u${l}`, status, requested: {}, before: null, after: null, changed: [], requests: 1, warnings: [], ...patch };
}

/** Feeds results until the budget stops the run; returns how many it took, or undefined. */
function stopsAfter(budget: FailureBudget, results: RowResult[]): { at?: number; reason?: string } {
  const stop = new StopControl();
  const observer = new FailureBudgetObserver(budget, stop);
  for (const [i, r] of results.entries()) {
    observer.onResult(r);
    if (stop.requested) return { at: i + 1, reason: stop.reason };
  }
  return {};
}

const many = (n: number, status: RowStatus, patch?: Partial<RowResult>) => Array.from({ length: n }, () => row(status, patch));

describe('parseFailureBudget', () => {
  it.each([
    ['25', { kind: 'count', max: 25 }],
    [0, { kind: 'count', max: 0 }],
    [7, { kind: 'count', max: 7 }],
    ['10%', { kind: 'percent', percent: 10, minRows: 20 }],
    [' 2.5 % ', { kind: 'percent', percent: 2.5, minRows: 20 }],
    ['100%', { kind: 'percent', percent: 100, minRows: 20 }],
  ])('%j → %j', (input, expected) => {
    expect(parseFailureBudget(input)).toEqual(expected);
  });

  it.each(['-1', '1.5', '101%', 'ten', '', '10 %%', '%', -3, 2.5, true, null])('refuses %j with a message saying what is allowed', (input) => {
    const parsed = parseFailureBudget(input);
    expect(parsed).toEqual({ problem: expect.stringContaining('a percentage from 0% to 100%') });
  });

  it('defaults to 10 % once 20 rows are finished', () => {
    expect(DEFAULT_FAILURE_BUDGET).toEqual({ kind: 'percent', percent: 10, minRows: 20 });
  });
});

describe('FailureBudgetObserver', () => {
  it('a count budget stops on the first failure past it, whatever the successes', () => {
    const results = [...many(3, 'updated'), row('failed'), row('unchanged'), row('failed'), row('failed'), row('updated')];
    const { at, reason } = stopsAfter({ kind: 'count', max: 2 }, results);
    expect(at).toBe(7);
    expect(reason).toBe('failure budget exceeded: 3 rows failed, more than the 2 allowed (--max-failures)');
  });

  it('--max-failures 0 stops at the first failure', () => {
    expect(stopsAfter({ kind: 'count', max: 0 }, [row('updated'), row('failed')]).at).toBe(2);
  });

  it('a percentage is not judged before minRows rows are finished', () => {
    // 5 failures in the first 5 rows (100 %), then successes: judged at row 20 with 25 % > 10 %.
    const results = [...many(5, 'failed'), ...many(30, 'updated')];
    const { at, reason } = stopsAfter(DEFAULT_FAILURE_BUDGET, results);
    expect(at).toBeUndefined(); // stops only on a failure, and none comes after row 5
    expect(reason).toBeUndefined();
    const later = stopsAfter(DEFAULT_FAILURE_BUDGET, [...many(5, 'failed'), ...many(15, 'updated'), row('failed')]);
    expect(later.at).toBe(21);
    expect(later.reason).toBe('failure budget exceeded: 6 of 21 finished rows failed (28.6%), more than the 10% allowed (--max-failures)');
  });

  it('stays under a percentage that is not exceeded', () => {
    // 1 failure in every 10 rows = 10 %: at the limit, not past it.
    const results = Array.from({ length: 100 }, (_, i) => row(i % 10 === 9 ? 'failed' : 'updated'));
    expect(stopsAfter(DEFAULT_FAILURE_BUDGET, results).at).toBeUndefined();
    expect(stopsAfter({ kind: 'percent', percent: 5, minRows: 20 }, results).at).toBe(20);
  });

  it('skipped rows and rows cut short by an interrupt count neither as finished nor as failed', () => {
    const results = [...many(50, 'skipped'), ...many(10, 'failed', { errorCode: 'INTERRUPTED' }), row('failed')];
    expect(stopsAfter({ kind: 'count', max: 0 }, results).at).toBe(61);
    const pct = stopsAfter(DEFAULT_FAILURE_BUDGET, [...many(40, 'skipped'), ...many(19, 'updated'), row('failed')]);
    expect(pct.at).toBeUndefined(); // 1 of 20 = 5 %
  });

  it('conflict and invalid rows are not failures of the run', () => {
    expect(stopsAfter({ kind: 'count', max: 0 }, [...many(5, 'conflict'), ...many(5, 'invalid')]).at).toBeUndefined();
  });

  it('users without the service (NOT_ASSIGNED) count neither as finished nor as failed: nothing was sent to them', () => {
    expect(stopsAfter({ kind: 'count', max: 0 }, many(30, 'failed', { errorCode: 'NOT_ASSIGNED' })).at).toBeUndefined();
    // 30 of 50 finished rows lack the service, 2 real failures of 20 counted rows: 10 %, not exceeded.
    const mixed = [...many(30, 'failed', { errorCode: 'NOT_ASSIGNED' }), ...many(18, 'updated'), ...many(2, 'failed', { errorCode: 'HTTP_4XX' })];
    expect(stopsAfter(DEFAULT_FAILURE_BUDGET, mixed).at).toBeUndefined();
    expect(stopsAfter({ kind: 'count', max: 0 }, [...many(3, 'failed', { errorCode: 'NOT_ASSIGNED' }), row('failed')]).at).toBe(4);
  });
});
