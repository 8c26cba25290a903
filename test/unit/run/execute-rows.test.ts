import { describe, expect, it } from '@jest/globals';
import type { ManifestRow } from '../../../src/manifest/types.js';
import pLimit from 'p-limit';
import { executeRows, REORDER_WINDOW } from '../../../src/engine/execute-rows.js';
import { skippedResult, type RowResult } from '../../../src/model/row-result.js';
import { StopControl } from '../../../src/engine/stop-control.js';

const row = (i: number): ManifestRow => ({ line: i + 2, key: { userId: `u${i}` }, id: `u${i}`, fields: { clidPolicy: 'Use DN' } });
async function* rows(n: number): AsyncGenerator<ManifestRow> {
  for (let i = 0; i < n; i++) yield row(i);
}
const done = (r: ManifestRow, status: RowResult['status'] = 'updated'): RowResult => ({ ...skippedResult(r), status, error: undefined });
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('executeRows with results from an earlier attempt', () => {
  it('keeps earlier results even after a stop; only rows never finished are run or skipped', async () => {
    const stop = new StopControl();
    const seen: Array<{ index: number; status: string; earlier: boolean }> = [];
    const ran: number[] = [];
    await executeRows(
      rows(20),
      async (r) => {
        ran.push(r.line);
        if (r.line === 2 + 5) stop.stop('budget');
        return done(r);
      },
      { limit: pLimit(2), stopRequested: () => stop.requested, stopReason: () => `not started: ${stop.reason}`, earlier: (r) => (r.line % 2 === 0 ? done(r, 'unchanged') : undefined) },
      (result, index, earlier) => seen.push({ index, status: result.status, earlier }),
    );
    expect(seen.map((s) => s.index).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    for (const s of seen) {
      if (s.index % 2 === 0) expect(s).toMatchObject({ status: 'unchanged', earlier: true });
      else expect(s.earlier).toBe(false);
    }
    expect(ran).toEqual([3, 5, 7]); // lines of rows 1, 3, 5; row 5 stopped the run
    expect(seen.filter((s) => s.status === 'skipped').map((s) => s.index)).toEqual([7, 9, 11, 13, 15, 17, 19]);
  });

  it('does not report further than REORDER_WINDOW rows ahead of a slow unfinished row', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const reported: number[] = [];
    const total = REORDER_WINDOW + 500;
    const run = executeRows(
      rows(total),
      async (r) => {
        await slow;
        return done(r);
      },
      { limit: pLimit(4), earlier: (r) => (r.line === 2 ? undefined : done(r)) },
      (_result, index) => reported.push(index),
    );
    await turns(50);
    expect(Math.max(...reported)).toBe(REORDER_WINDOW);
    expect(reported).not.toContain(0);
    release();
    await run;
    expect(reported).toHaveLength(total);
  });
});
