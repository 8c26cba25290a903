import type { ConfirmWave } from '../engine/waves.js';
import type { Connection } from '../settings/connection.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { RunObserver } from '../model/run-observer.js';
import type { JobDeps } from '../pipelines/run-job.js';
import { Secrets } from '../logging/secrets.js';
import { StopControl } from '../engine/stop-control.js';

/** Where and how the library talks to Odin: what the CLI takes from ODIN_* and its TLS flags. */
export type { Connection };

/** What every library call that talks to Odin takes besides its settings. */
export type LibraryContext = {
  /** The Odin API root and credentials. The library never reads ODIN_* itself: pass them here. */
  connection: Connection;
  /**
   * Receives the lines the CLI prints on the console (warnings, failed rows, progress notes), passwords and tokens
   * already removed. Any object with `debug`, `info`, `warn` and `error` methods, e.g. `console`. @default silent
   */
  logger?: Logger;
  /**
   * Fills `${VAR}` in job files, and is where the CI variables are read from (GITHUB_STEP_SUMMARY).
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Aborting it stops the run as the first Ctrl-C does: no new rows start, rows in flight finish, the reports are
   * written, and the result has exit code 4 with a `stopReason`.
   */
  signal?: AbortSignal;
};

/** What only the CLI passes: its console logger's secrets, its own interrupt switch and the progress display. */
export type Internals = {
  secrets?: Secrets;
  stop?: StopControl;
  observers?: RunObserver[];
  now?: () => Date;
  /** `--confirm` (the CLI, on a terminal): asked before each next wave. */
  confirmWave?: ConfirmWave;
};

/** What the row engine is given for a library call. */
export type CallDeps = JobDeps;

/**
 * Runs `work` with the connection checked and the engine's dependencies for this call: the caller's logger behind
 * one more redaction (the run's secrets, tokens included), the run's stop switch (the CLI's, or one the caller's
 * AbortSignal flips) and the CLI's followers.
 */
export async function withCallDeps<R>(context: LibraryContext, internals: Internals, work: (connection: Connection, deps: CallDeps) => Promise<R>): Promise<R> {
  const connection = checkConnection(context.connection);
  const secrets = secretsFor(connection, internals.secrets);
  const { stop, detach } = stopControlFor(context.signal, internals.stop);
  try {
    return await work(connection, {
      logger: redactingLogger(context.logger, secrets),
      secrets,
      now: internals.now ?? (() => new Date()),
      env: context.env ?? process.env,
      stop,
      observers: internals.observers ?? [],
      ...(internals.confirmWave ? { confirmWave: internals.confirmWave } : {}),
    });
  } finally {
    detach();
  }
}

/** The run's switch: the CLI's, or one that `signal` flips. Returns it and a function that detaches the signal. */
export function stopControlFor(signal: AbortSignal | undefined, stop = new StopControl()): { stop: StopControl; detach: () => void } {
  if (!signal) return { stop, detach: () => {} };
  const onAbort = () => stop.stop('stopped by the caller (AbortSignal)');
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { stop, detach: () => signal.removeEventListener('abort', onAbort) };
}

/** The run's secrets, seeded with the password; the client adds each token as it gets one. */
export function secretsFor(connection: Connection, secrets = new Secrets()): Secrets {
  secrets.add(connection.password);
  return secrets;
}

/** The caller's logger behind one more redaction, with the run's secrets (tokens included): nothing secret reaches it. */
export function redactingLogger(logger: Logger | undefined, secrets: Secrets): Logger {
  if (!logger) return silentLogger;
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return secrets.redact(value);
    if (value === undefined || value === null || typeof value !== 'object') return value;
    const json = JSON.stringify(value);
    const redacted = secrets.redact(json);
    return redacted === json ? value : JSON.parse(redacted);
  };
  const level = (name: keyof Logger) =>
    ((message: unknown, ...meta: unknown[]) => {
      (logger[name] as (...args: unknown[]) => unknown).call(logger, clean(message), ...meta.map(clean));
      return redacted;
    }) as Logger[keyof Logger];
  const redacted = { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') } as Logger;
  return redacted;
}

/**
 * A connection given by a library caller, checked as the CLI checks ODIN_*: a programmer's mistake, so a TypeError
 * that names the option (never its value: it may be the password).
 */
export function checkConnection(connection: unknown): Connection {
  if (!connection || typeof connection !== 'object') {
    throw new TypeError(`Expected \`connection\` to be an object { baseUrl, username, password }, got ${connection === null ? 'null' : typeof connection}`);
  }
  const c = connection as Record<string, unknown>;
  for (const name of ['baseUrl', 'username', 'password'] as const) {
    if (typeof c[name] !== 'string' || c[name] === '') {
      throw new TypeError(`Expected \`connection.${name}\` to be a non-empty string, got ${c[name] === '' ? 'an empty string' : typeof c[name]}`);
    }
  }
  const baseUrl = (c.baseUrl as string).replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new TypeError('Expected `connection.baseUrl` to be an http(s) URL without credentials, e.g. https://odin.example.com/api/v2');
  }
  return { ...(connection as Connection), baseUrl };
}
