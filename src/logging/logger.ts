/** The narrow logger the library sees (winston's four levels); winston stays at the edges (create-logger.ts). */
export type Logger = {
  debug(message: string, meta?: object): unknown;
  info(message: string, meta?: object): unknown;
  warn(message: string, meta?: object): unknown;
  error(message: string, meta?: object): unknown;
};

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type ClosableLogger = Logger & { close(): Promise<void> };

/** Sends each line to every logger given. */
export function teeLogger(...loggers: Logger[]): Logger {
  const fan = (level: LogLevel) => (message: string, meta?: object) => {
    for (const l of loggers) l[level](message, meta);
  };
  return { error: fan('error'), warn: fan('warn'), info: fan('info'), debug: fan('debug') };
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = teeLogger();
