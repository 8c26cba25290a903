import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createLogger, format, transports, type Logger as Winston } from 'winston';
import type { ClosableLogger, Logger, LogLevel } from './logger.js';
import type { Secrets } from './secrets.js';

export { silentLogger, teeLogger, type ClosableLogger, type Logger, type LogLevel } from './logger.js';

const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * One JSON line of run.log: level, message, the meta values and a timestamp, with every known secret removed from
 * the whole line at once (a line per row: cheaper than winston's format chain of redact, timestamp and json).
 */
/** Where winston's transports find a formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

const jsonLine = (secrets: Secrets) =>
  format((info) => {
    const { level, message, ...meta } = info;
    const line = JSON.stringify({ level, message, ...meta, timestamp: new Date().toISOString() });
    (info as Record<symbol, unknown>)[MESSAGE] = secrets.redact(line);
    return info;
  })();

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
    format: jsonLine(secrets),
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

function bind(logger: Winston): Logger {
  return {
    error: logger.error.bind(logger),
    warn: logger.warn.bind(logger),
    info: logger.info.bind(logger),
    debug: logger.debug.bind(logger),
  } as Logger;
}
