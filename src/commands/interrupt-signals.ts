import { EXIT, type ExitCode } from '../model/errors.js';
import type { StopControl } from '../engine/stop-control.js';

/** How long rows in flight may finish after the first Ctrl-C before their requests are aborted. */
export const GRACE_MS = 10_000;

type SignalTarget = {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
};

export type InterruptOptions = {
  stop: StopControl;
  stderr: NodeJS.WritableStream;
  /** The command that resumes this run, printed on the way out. */
  resumeCommand: string;
  /** What the signals say happens next, where it is not a report folder's run (an export has no journal). */
  says?: InterruptTexts;
  /** @default GRACE_MS */
  graceMs?: number;
  /** @default process */
  target?: SignalTarget;
  /** Leaves at once (second signal). @default process.exit */
  exit?: (code: ExitCode) => void;
};

export type InterruptTexts = {
  /** After "rows in flight get N s to finish, then …". */
  afterGrace: string;
  /** The second line of the first signal's notice. */
  quitHint: string;
  /** After "SIGINT again: quitting now, …". */
  quitting: string;
};

/** A run that writes a report folder: the journal keeps what is done, --resume finishes it. */
const REPORT_FOLDER: InterruptTexts = {
  afterGrace: 'the reports are written',
  quitHint: 'Press Ctrl-C again to quit at once (the journal stays intact; --resume finishes the run).',
  quitting: 'without writing the reports. The journal is intact. Resume with:',
};

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Ctrl-C / SIGTERM handling for one run. First signal: no new rows start, rows in flight get `graceMs` to finish
 * (then their requests are aborted), and the run writes its reports and exits 4. Second signal: exit 130 at once;
 * the journal is written synchronously per row, so it is intact. Returns the function that uninstalls the handlers.
 */
export function installInterruptHandlers(options: InterruptOptions): () => void {
  const { stop, stderr, resumeCommand, graceMs = GRACE_MS, target = process, says = REPORT_FOLDER } = options;
  const exit = options.exit ?? ((code: ExitCode) => process.exit(code));
  let timer: NodeJS.Timeout | undefined;
  let received = 0;

  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      stop.stop(`interrupted by ${signal}`);
      stderr.write(
        `\n${signal}: stopping. No new rows start; rows in flight get ${Math.round(graceMs / 1000)} s to finish, then ${says.afterGrace}.\n${says.quitHint}\n`,
      );
      timer = setTimeout(() => {
        stderr.write(`Rows still in flight after ${Math.round(graceMs / 1000)} s: aborting their requests (--resume redoes those rows).\n`);
        stop.abortInFlight(`interrupted by ${signal}`);
      }, graceMs);
      timer.unref();
      return;
    }
    stderr.write(`\n${signal} again: quitting now, ${says.quitting}\n  ${resumeCommand}\n`);
    exit(EXIT.interrupted);
  };

  for (const s of SIGNALS) target.on(s, onSignal);
  return () => {
    clearTimeout(timer);
    for (const s of SIGNALS) target.off(s, onSignal);
  };
}
