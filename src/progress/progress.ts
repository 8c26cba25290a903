import type { RunObserver } from '../model/run-observer.js';
import { ProgressBar } from './progress-bar.js';
import { ProgressLines } from './progress-lines.js';

/** Calls `tick` every `ms` milliseconds until the returned function is called. */
export type Repeat = (tick: () => void, ms: number) => () => void;

/** A progress display: a run observer, plus the stream console messages must go through so they do not garble it. */
export type Progress = RunObserver & {
  readonly consoleStream: NodeJS.WritableStream;
  /** Stops timers and restores the terminal; safe to call twice, and needed when a run ends by an error. */
  close(): void;
  /** Takes the display off the terminal while a question is asked (`--confirm`); the returned function puts it back. */
  hold?(): () => void;
};

export type ProgressOptions = {
  /** Where progress goes: stderr, so stdout stays for data (`--json`). */
  stream: NodeJS.WritableStream;
  /** A terminal gets a redrawn bar; anything else (a CI log) gets plain lines. */
  tty: boolean;
  /** Time between two plain lines. @default 5000 */
  intervalMs?: number;
  now?: () => number;
};

/** The progress display for this stream: a bar on a terminal, plain lines elsewhere. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  return options.tty
    ? new ProgressBar({ stream: options.stream, now })
    : new ProgressLines({ stream: options.stream, now, intervalMs: options.intervalMs ?? 5000 });
}

/** True when the stream is a terminal (process.stderr in an interactive shell). */
export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: unknown }).isTTY === true;
}
