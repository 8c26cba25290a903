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
      else if (value && typeof value === 'object') {
        const json = JSON.stringify(value);
        const clean = secrets.redact(json);
        if (clean !== json) info[key] = JSON.parse(clean);
      }
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

/** run.log lines reach the file within this long: written in batches, not a syscall per line (a line per row). */
export const LOG_FLUSH_MS = 100;

/** JSON lines into a file (run.log), every level, secrets removed. */
export function createFileLogger(file: string, secrets: Secrets): ClosableLogger {
  const stream = createWriteStream(file, { flags: 'a' });
  // Corked, lines gather in the stream's buffer; each tick of the timer sends them with one writev.
  stream.cork();
  const flusher = setInterval(() => {
    stream.uncork();
    stream.cork();
  }, LOG_FLUSH_MS).unref();
  const logger = createLogger({
    level: 'debug',
    format: format.combine(redact(secrets), format.timestamp(), format.json()),
    transports: [new transports.Stream({ stream })],
  });
  return Object.assign(bind(logger), {
    async close() {
      clearInterval(flusher);
      logger.close();
      stream.uncork();
      stream.end();
      await once(stream, 'close');
    },
  });
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
