import { isPending, type RowResult } from '../model/row-result.js';
import type { RunStart } from '../model/run-observer.js';

/** Where a run stands, as the progress displays show it. */
export type ProgressSnapshot = {
  /** Rows that ran to an end (updated, unchanged, planned, failed…). */
  done: number;
  /** Rows never started because the run stopped early (Ctrl-C, the failure budget): not done. */
  skipped: number;
  /** Rows held back by a canary or a wave (`waiting`), left for the continuing run; counted in `skipped` too. */
  waiting?: number;
  total: number;
  /** Rows failed, conflict or invalid so far. */
  failures: number;
  /** Request retries so far (the client's counter). */
  retries: number;
  elapsedMs: number;
};

/** Counts finished rows against the total; the clock is injected so tests get exact rates. */
export class ProgressCounter {
  private total = 0;
  private done = 0;
  private skipped = 0;
  private waiting = 0;
  private failures = 0;
  private startedAt = 0;
  private stats: RunStart['stats'] = { requests: 0, retries: 0 };

  constructor(private readonly now: () => number) {}

  start(run: RunStart): void {
    this.total = run.total;
    this.stats = run.stats;
    this.startedAt = this.now();
  }

  onResult(result: RowResult): void {
    if (isPending(result)) {
      this.skipped++;
      if (result.status === 'waiting') this.waiting++;
      return;
    }
    this.done++;
    if (result.status === 'failed' || result.status === 'conflict' || result.status === 'invalid') this.failures++;
  }

  snapshot(): ProgressSnapshot {
    return { done: this.done, skipped: this.skipped, ...(this.waiting ? { waiting: this.waiting } : {}), total: this.total, failures: this.failures, retries: this.stats.retries, elapsedMs: this.now() - this.startedAt };
  }
}

/** `1200/5000 rows (24%), 40.1 rows/s, ETA 1m35s, 3 failed, 12 retries` (71 characters). Pure. */
export function progressText(s: ProgressSnapshot): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const left = Math.max(0, s.total - s.done - s.skipped);
  const eta = left === 0 ? '0s' : rate > 0 ? formatDuration((left / rate) * 1000) : '?';
  const percent = s.total > 0 ? Math.floor((s.done * 100) / s.total) : 100;
  const skipped = s.skipped ? `, ${s.skipped} skipped` : '';
  return `${s.done}/${s.total} rows (${percent}%), ${rate.toFixed(1)} rows/s, ETA ${eta}, ${s.failures} failed, ${s.retries} ${s.retries === 1 ? 'retry' : 'retries'}${skipped}`;
}

/**
 * The line at the end: `5000/5000 rows done in 2m05s (40.0 rows/s), 3 failed, 12 retries` (`3.4s` under a minute);
 * after a stop, `1200/5000 rows finished, 3800 skipped (not started) in 31.2s (…)`, never "5000/5000 done". Pure.
 */
export function finalText(s: ProgressSnapshot): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const took = s.elapsedMs < 60_000 ? `${(s.elapsedMs / 1000).toFixed(1)}s` : formatDuration(s.elapsedMs);
  const waiting = s.waiting ?? 0;
  const notStarted = [...(s.skipped > waiting ? [`${s.skipped - waiting} skipped (not started)`] : []), ...(waiting ? [`${waiting} waiting`] : [])];
  const what = notStarted.length ? `finished, ${notStarted.join(', ')}` : 'done';
  return `${s.done}/${s.total} ${s.total === 1 ? 'row' : 'rows'} ${what} in ${took} (${rate.toFixed(1)} rows/s), ${s.failures} failed, ${s.retries} ${s.retries === 1 ? 'retry' : 'retries'}`;
}

/** 950 → `1s`, 95_000 → `1m35s`, 3_725_000 → `1h02m`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** A text bar such as `█████░░░░░` for a share of 0–1. */
export function barGlyphs(share: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(share * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
