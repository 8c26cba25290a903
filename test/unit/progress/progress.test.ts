import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { finalText, formatDuration, progressText } from '../../../src/progress/progress-counter.js';
import { ProgressBar } from '../../../src/progress/progress-bar.js';
import { ProgressLines } from '../../../src/progress/progress-lines.js';
import { createProgress, isTerminal } from '../../../src/progress/progress.js';
import type { RowResult, RowStatus } from '../../../src/model/row-result.js';

const result = (status: RowStatus): RowResult => ({
  line: 2, key: { userId: 'a@x.test' }, id: 'a@x.test', status, requested: {}, before: null, after: null, changed: [], requests: 1, warnings: [],
});

/** A stream that collects what is written; `tty` makes it look like a terminal of `columns` width. */
function sink(tty: boolean, columns = 120) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  Object.assign(stream, tty ? { isTTY: true, columns } : {});
  return { stream, text: () => text };
}

function manualClock(startMs = 1_000_000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('progress text', () => {
  it('shows rows done/total, rows per second, ETA, failures and retries', () => {
    expect(progressText({ done: 1200, skipped: 0, total: 5000, failures: 3, retries: 12, elapsedMs: 30_000 })).toBe(
      '1200/5000 rows (24%), 40.0 rows/s, ETA 1m35s, 3 failed, 12 retries',
    );
    expect(progressText({ done: 0, skipped: 0, total: 10, failures: 0, retries: 0, elapsedMs: 0 })).toBe('0/10 rows (0%), 0.0 rows/s, ETA ?, 0 failed, 0 retries');
    expect(progressText({ done: 0, skipped: 0, total: 0, failures: 0, retries: 0, elapsedMs: 5 })).toBe('0/0 rows (100%), 0.0 rows/s, ETA 0s, 0 failed, 0 retries');
  });

  it('after a stop, counts rows finished and rows skipped apart, never "N/N done"', () => {
    const s = { done: 1200, skipped: 800, total: 2000, failures: 2, retries: 1, elapsedMs: 30_000 };
    expect(progressText(s)).toBe('1200/2000 rows (60%), 40.0 rows/s, ETA 0s, 2 failed, 1 retry, 800 skipped');
    expect(finalText(s)).toBe('1200/2000 rows finished, 800 skipped (not started) in 30.0s (40.0 rows/s), 2 failed, 1 retry');
    expect(finalText({ ...s, done: 2000, skipped: 0 })).toBe('2000/2000 rows done in 30.0s (66.7 rows/s), 2 failed, 1 retry');
  });

  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(950), formatDuration(95_000), formatDuration(3_725_000)]).toEqual(['0s', '1s', '1m35s', '1h02m']);
  });
});

describe('plain progress lines (not a terminal)', () => {
  it('prints a line on each tick and one at the end, counting failures and the client’s retries', async () => {
    const out = sink(false);
    const clock = manualClock();
    let tick: (() => void) | undefined;
    let cancelled = false;
    const lines = new ProgressLines({
      stream: out.stream, intervalMs: 5000, now: clock.now,
      repeat: (fn, ms) => { expect(ms).toBe(5000); tick = fn; return () => void (cancelled = true); },
    });
    const stats = { requests: 0, retries: 0 };
    lines.start({ total: 4, stats });
    lines.onResult(result('updated'));
    lines.onResult(result('failed'));
    stats.retries = 7;
    clock.advance(2000);
    tick!();
    expect(out.text()).toBe('progress: 2/4 rows (50%), 1.0 rows/s, ETA 2s, 1 failed, 7 retries\n');
    lines.onResult(result('conflict'));
    lines.onResult(result('unchanged'));
    clock.advance(2000);
    await lines.finish();
    expect(cancelled).toBe(true);
    expect(out.text().split('\n')[1]).toBe('progress: 4/4 rows done in 4.0s (1.0 rows/s), 2 failed, 7 retries');
    expect(lines.consoleStream).toBe(out.stream);
  });

  it('prints nothing for a run shorter than one interval', async () => {
    const out = sink(false);
    const lines = new ProgressLines({ stream: out.stream, intervalMs: 5000, now: manualClock().now, repeat: () => () => undefined });
    lines.start({ total: 1, stats: { requests: 0, retries: 0 } });
    lines.onResult(result('updated'));
    await lines.finish();
    expect(out.text()).toBe('');
  });
});

describe('progress bar (terminal)', () => {
  it('draws the bar on the terminal, prints console lines above it, and leaves a final line', async () => {
    const out = sink(true, 120);
    const clock = manualClock();
    const bar = new ProgressBar({ stream: out.stream, now: clock.now, fps: 50 });
    const stats = { requests: 0, retries: 2 };
    bar.start({ total: 10, stats });
    for (let i = 0; i < 3; i++) bar.onResult(result(i === 1 ? 'failed' : 'updated'));
    clock.advance(1000);
    bar.consoleStream.write('warn: line 3 b@x.test: failed: boom\n');
    // The bar redraws on its own timer; wait (with a deadline) for the frame that shows 3 rows and the log line.
    const deadline = Date.now() + 5000;
    while (!(out.text().includes('3/10 rows (30%), 3.0 rows/s, ETA 3s, 1 failed, 2 retries') && out.text().includes('boom'))) {
      if (Date.now() > deadline) throw new Error(`no frame with 3/10 rows; got ${JSON.stringify(out.text())}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(out.text()).toMatch(/\u001b\[\d*G/); // drawn in place with cursor moves
    expect(out.text()).toMatch(/█{9}░{21} 3\/10 rows/); // 30 % of a 30-wide bar
    expect(out.text().indexOf('warn: line 3 b@x.test: failed: boom\n')).toBeGreaterThan(-1);
    for (let i = 0; i < 7; i++) bar.onResult(result('unchanged'));
    await bar.finish();
    expect(out.text()).toMatch(/\u001b\[0J10\/10 rows done in 1\.0s \(10\.0 rows\/s\), 1 failed, 2 retries\n$/); // bar cleared, final line
    // After the bar is gone, console lines go straight through.
    bar.consoleStream.write('after\n');
    await new Promise((r) => setImmediate(r));
    expect(out.text().endsWith('retries\nafter\n')).toBe(true);
    bar.close(); // idempotent
  });

  it('drops the bar glyphs on a narrow terminal and keeps the numbers', async () => {
    const out = sink(true, 50);
    const bar = new ProgressBar({ stream: out.stream, now: manualClock().now });
    bar.start({ total: 2, stats: { requests: 0, retries: 0 } });
    bar.close();
    expect(out.text()).toContain('0/2 rows (0%)');
    expect(out.text()).not.toContain('░');
  });

  it('createProgress picks the bar for a terminal and lines otherwise', () => {
    const tty = sink(true).stream;
    const pipe = sink(false).stream;
    expect(isTerminal(tty)).toBe(true);
    expect(isTerminal(pipe)).toBe(false);
    expect(createProgress({ stream: tty, tty: true })).toBeInstanceOf(ProgressBar);
    expect(createProgress({ stream: pipe, tty: false })).toBeInstanceOf(ProgressLines);
  });
});
