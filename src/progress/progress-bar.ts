import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { RowResult } from '../model/row-result.js';
import type { RunStart } from '../model/run-observer.js';
import { barGlyphs, finalText, progressText, ProgressCounter } from './progress-counter.js';
import type { Progress } from './progress.js';

export type ProgressBarOptions = {
  /** A terminal (isTTY); tests pass a fake one. */
  stream: NodeJS.WritableStream;
  now: () => number;
  /** Redraws per second. @default 5 */
  fps?: number;
};

const MAX_BAR = 30;
const MIN_BAR = 5;

/**
 * Progress on a terminal: one line redrawn in place (cli-progress), e.g.
 * `████████░░░░ 1200/5000 rows (24%), 40.1 rows/s, ETA 1m35s, 3 failed, 12 retries`.
 * Console messages logged meanwhile are printed above the bar instead of through it.
 */
export class ProgressBar implements Progress {
  private readonly counter: ProgressCounter;
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;
  readonly consoleStream: NodeJS.WritableStream;

  constructor(private readonly options: ProgressBarOptions) {
    this.counter = new ProgressCounter(options.now);
    this.multi = new cliProgress.MultiBar({
      stream: options.stream as NodeJS.WriteStream,
      fps: options.fps ?? 5,
      // Redraw every tick: the rate, ETA and retries change even when no row finished, and a log line clears the bar.
      forceRedraw: true,
      hideCursor: false,
      linewrap: true,
      gracefulExit: false,
      clearOnComplete: true, // the bar gives way to the final line
      format: (_options, params) => {
        const s = this.counter.snapshot();
        const text = progressText(s);
        // The bar takes what the text leaves of the line; cli-progress cuts anything past the terminal's width.
        const width = Math.min(MAX_BAR, params.maxWidth - text.length - 1);
        return width < MIN_BAR ? text : `${barGlyphs(s.total ? s.done / s.total : 1, width)} ${text}`;
      },
    });
    const multi = this.multi;
    const active = () => this.bar !== undefined;
    this.consoleStream = new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, done) {
        const text = String(chunk);
        if (active()) multi.log(text.endsWith('\n') ? text : `${text}\n`);
        else options.stream.write(text);
        done();
      },
    });
  }

  start(run: RunStart): void {
    this.counter.start(run);
    this.bar = this.multi.create(run.total, 0);
  }

  onResult(result: RowResult): void {
    this.counter.onResult(result);
    this.bar?.update(this.counter.snapshot().done);
  }

  async finish(): Promise<void> {
    if (!this.bar) return;
    this.close();
    this.options.stream.write(`${finalText(this.counter.snapshot())}\n`);
  }

  hold(): () => void {
    if (!this.bar) return () => undefined;
    this.close();
    return () => {
      this.bar = this.multi.create(this.counter.snapshot().total, this.counter.snapshot().done);
    };
  }

  close(): void {
    if (!this.bar) return;
    this.bar = undefined;
    this.multi.update(); // prints console lines still buffered
    this.multi.stop();
  }
}
