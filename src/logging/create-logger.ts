import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createLogger, format, transports, type Logger as Winston } from 'winston';
import type { Secrets } from './secrets.js';

/** The narrow logger the library sees; winston stays at the edges. */
export type Logger = Pick<Winston, 'debug' | 'info' | 'warn' | 'error'>;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Removes every known secret from the message and from each meta value, whatever the level. */
const redact = (secrets: Secrets) =>
  format((info) => {
    for (const key of Object.keys(info)) {
      const value = info[key];
      if (typeof value === 'string') info[key] = secrets.redact(value);
      else if (value && typeof value === 'object') info[key] = JSON.parse(secrets.redact(JSON.stringify(value)));
    }
    return info;
  })();

/** Human-readable lines on stderr (stdout stays free for data such as `--json`). */
export function createConsoleLogger(secrets: Secrets, level: LogLevel = 'info', stream?: NodeJS.WritableStream): Logger {
  const print = format.printf(({ level: l, message }) => (l === 'info' ? String(message) : `${l}: ${String(message)}`));
  return createLogger({
    level,
    format: format.combine(redact(secrets), print),
    transports: [
      stream
        ? new transports.Stream({ stream })
        : new transports.Console({ stderrLevels: LEVELS }),
    ],
  });
}

export type ClosableLogger = Logger & { close(): Promise<void> };

/**
 * JSON lines into a file (run.log), every level, secrets removed: `{"level","message","timestamp",…meta}` per line.
 * Written directly rather than through winston's stream pipeline: it gets a line per row, and at thousands of rows
 * a second winston's per-line formatting was a measurable share of the run's CPU (bench/RESULTS.md).
 */
export function createFileLogger(file: string, secrets: Secrets): ClosableLogger {
  const stream = createWriteStream(file, { flags: 'a' });
  const line = (level: LogLevel) => ((message: string, meta?: Record<string, unknown>) => {
    const entry = { level, message, ...meta, timestamp: new Date().toISOString() };
    stream.write(secrets.redact(JSON.stringify(entry)) + '\n');
  }) as Logger[LogLevel];
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    async close() {
      stream.end();
      await once(stream, 'close');
    },
  };
}

/** Sends each line to every logger given. */
export function teeLogger(...loggers: Logger[]): Logger {
  const fan = (level: LogLevel) => ((message: string, meta?: unknown) => {
    for (const l of loggers) l[level](message, meta as object);
  }) as Logger[LogLevel];
  return { error: fan('error'), warn: fan('warn'), info: fan('info'), debug: fan('debug') } as Logger;
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = teeLogger();

function bind(logger: Winston): Logger {
  return {
    error: logger.error.bind(logger),
    warn: logger.warn.bind(logger),
    info: logger.info.bind(logger),
    debug: logger.debug.bind(logger),
  } as Logger;
}
