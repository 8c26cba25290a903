import { describe, expect, it } from '@jest/globals';
import { waveReaches } from '../../../src/model/waves.js';
import { parseWaveList, parseWaveSize } from '../../../src/settings/wave-sizes.js';

describe('wave sizes', () => {
  it('a size is a number of rows or a share of them', () => {
    expect(parseWaveSize('10')).toEqual({ kind: 'count', rows: 10 });
    expect(parseWaveSize(10)).toEqual({ kind: 'count', rows: 10 });
    expect(parseWaveSize('1%')).toEqual({ kind: 'percent', percent: 1 });
    expect(parseWaveSize(' 0.5 % ')).toEqual({ kind: 'percent', percent: 0.5 });
    for (const bad of ['0', '0%', '101%', '-1', '1.5', 'ten', '', '10 rows']) expect(parseWaveSize(bad)).toEqual({ problem: expect.stringContaining('must be a number of rows') });
  });

  it('a list is cumulative and grows within each kind', () => {
    expect(parseWaveList('1%,10%,100%')).toEqual([{ kind: 'percent', percent: 1 }, { kind: 'percent', percent: 10 }, { kind: 'percent', percent: 100 }]);
    expect(parseWaveList('20, 200, 100%')).toEqual([{ kind: 'count', rows: 20 }, { kind: 'count', rows: 200 }, { kind: 'percent', percent: 100 }]);
    expect(parseWaveList('10%,5%')).toEqual({ problem: 'waves are cumulative and must grow: 5% after 10% (e.g. 1%,10%,100%)' });
    expect(parseWaveList('20,20')).toEqual({ problem: 'waves are cumulative and must grow: 20 after 20 (e.g. 1%,10%,100%)' });
    expect(parseWaveList('1%,,100%')).toEqual({ problem: expect.stringContaining('a comma-separated list of cumulative waves') });
    expect(parseWaveList('1%,x')).toEqual({ problem: expect.stringMatching(/^wave 2 must be a number of rows/) });
  });

  it('reaches in rows: shares rounded up, at least 1, at most the rows, each further than the last', () => {
    const p = (percent: number) => ({ kind: 'percent' as const, percent });
    const c = (rows: number) => ({ kind: 'count' as const, rows });
    expect(waveReaches([p(1), p(10), p(100)], 200)).toEqual([2, 20, 200]);
    expect(waveReaches([p(1), p(10), p(100)], 20_000)).toEqual([200, 2000, 20_000]);
    expect(waveReaches([p(1), p(10), p(100)], 30)).toEqual([1, 3, 30]);
    // 1% and 2% of 10 rows are both 1 row: one wave, not two.
    expect(waveReaches([p(1), p(2), p(100)], 10)).toEqual([1, 10]);
    // 500 rows of a 200-row run is the whole run.
    expect(waveReaches([c(20), c(500), p(100)], 200)).toEqual([20, 200]);
    expect(waveReaches([c(10)], 200)).toEqual([10]);
  });
});
