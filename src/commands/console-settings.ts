import type { LogLevel } from '../logging/logger.js';
import { problemList, resolveSettings, type RunFlags } from '../settings/resolve-job.js';
import type { Command } from '../settings/settings-table.js';

/** How a command talks on the console: the CLI-only output settings of the table, checked. */
export type ConsoleSettings = {
  /** Print the summary as JSON on stdout and nothing else there. */
  json: boolean;
  /** No progress and no per-row warnings; errors still print. */
  quiet: boolean;
  /** Between two progress lines when stderr is not a terminal. */
  progressIntervalMs: number;
  logLevel: LogLevel;
};

/** The console settings of `command` from its flags; a bad value is EINPUT naming the flag. */
export function consoleSettings(flags: RunFlags, command: Command): ConsoleSettings {
  const check = problemList();
  const s = resolveSettings(['json', 'quiet', 'progressInterval'], flags, { flag: check.flag, command });
  const { logLevel } = resolveSettings(['logLevel'], flags, { flag: check.flag, command, defaults: false });
  check.throwIfAny();
  const quiet = s.quiet ?? false;
  // An export is quiet by default: its one line of summary says it all.
  return { json: s.json ?? false, quiet, progressIntervalMs: s.progressInterval!, logLevel: logLevel ?? (quiet ? 'error' : command === 'export' ? 'warn' : 'info') };
}
