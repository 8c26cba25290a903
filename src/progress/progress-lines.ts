import type { RowResult } from '../model/row-result.js';
import type { RunStart } from '../model/run-observer.js';
import { finalText, progressText, ProgressCounter } from './progress-counter.js';
import type { Progress, Repeat } from './progress.js';

export type ProgressLinesOptions = {
  stream: NodeJS.WritableStream;
  /** Time between two lines. @default 5000 */
  intervalMs: number;
  now: () => number;
  /** Calls `tick` every `ms` until the returned function is called. @default an unref'd setInterval */
  repeat?: Repeat;
};

/**
 * Progress where stderr is not a terminal (CI logs): one plain line every few seconds, e.g.
 * `progress: 1200/5000 rows (24%), 40.1 rows/s, ETA 1m35s, 3 failed, 12 retries`, and one at the end.
 * A run shorter than one interval prints none: the closing summary says it all.
 */
export class ProgressLines implements Progress {
  private readonly counter: ProgressCounter;
  private cancel: (() => void) | undefined;
  private printed = 0;

  constructor(private readonly options: ProgressLinesOptions) {
    this.counter = new ProgressCounter(options.now);
  }

  get consoleStream(): NodeJS.WritableStream {
    return this.options.stream;
  }

  start(run: RunStart): void {
    this.counter.start(run);
    const repeat = this.options.repeat ?? everyUnref;
    this.cancel = repeat(() => this.print(`progress: ${progressText(this.counter.snapshot())}`), this.options.intervalMs);
  }

  onResult(result: RowResult): void {
    this.counter.onResult(result);
  }

  async finish(): Promise<void> {
    this.close();
    if (this.printed > 0) this.print(`progress: ${finalText(this.counter.snapshot())}`);
  }

  close(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private print(line: string): void {
    this.printed++;
    this.options.stream.write(`${line}\n`);
  }
}

/** setInterval that never keeps the process alive by itself. */
export const everyUnref: Repeat = (tick, ms) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};
