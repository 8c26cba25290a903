import { createConsoleLogger, type Logger } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import type { RunObserver } from '../model/run-observer.js';
import { createProgress, isTerminal } from '../progress/progress.js';
import { StopControl } from '../engine/stop-control.js';
import type { Connection } from '../settings/connection.js';
import type { CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';
import type { ConsoleSettings } from './console-settings.js';
import { installInterruptHandlers, type InterruptOptions, type InterruptTexts } from './interrupt-signals.js';

/** What a command that works through rows is given by the console: the same for run, plan, apply and export. */
export type ConsoleRun = {
  /** Console lines (stderr, above the progress bar), secrets removed. */
  logger: Logger;
  secrets: Secrets;
  /** Flipped by Ctrl-C / SIGTERM. */
  stop: StopControl;
  /** The progress display, unless --quiet. */
  observers: RunObserver[];
  /** Where the human summary goes: stdout, or stderr with --json (stdout then holds the JSON only). */
  chat: NodeJS.WritableStream;
  /** Takes the progress display off the terminal while a question is asked; the returned function puts it back. */
  hold: () => () => void;
};

/** Test hooks for the signal handling. */
export type ConsoleDeps = Pick<InterruptOptions, 'graceMs' | 'target' | 'exit'>;

/**
 * Sets up the console for `work` and takes it down after: the progress display (a bar on a terminal, plain lines
 * elsewhere), the console logger, the connection warnings (no TLS verification, a password over http://), and the
 * Ctrl-C handling that stops the run and prints `interrupt.again`, the command that finishes it.
 */
export async function withConsole<R>(
  io: CliIo,
  conn: Connection,
  settings: ConsoleSettings,
  interrupt: { again: string; says?: InterruptTexts },
  work: (run: ConsoleRun) => Promise<R>,
  deps: ConsoleDeps = {},
): Promise<R> {
  const secrets = new Secrets();
  secrets.add(conn.password);
  const progress = settings.quiet
    ? undefined
    : createProgress({ stream: io.stderr, tty: isTerminal(io.stderr), intervalMs: settings.progressIntervalMs, now: () => io.now().getTime() });
  const consoleStream = progress?.consoleStream ?? io.stderr;
  const logger = createConsoleLogger(secrets, settings.logLevel, consoleStream);
  printConnectionWarnings(conn, consoleStream);
  const stop = new StopControl();
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand: interrupt.again, ...(interrupt.says ? { says: interrupt.says } : {}), ...deps });
  try {
    const hold = () => progress?.hold?.() ?? (() => undefined);
    return await work({ logger, secrets, stop, observers: progress ? [progress] : [], chat: settings.json ? io.stderr : io.stdout, hold });
  } finally {
    progress?.close();
    uninstall();
  }
}
