import type { RunFlags } from '../settings/resolve-job.js';
import { SETTINGS, settingsOf, type Command, type SettingName, type SettingSpec } from '../settings/settings-table.js';

/**
 * What a job runs over. Each option is the command-line flag of the same name in camelCase, with the same units
 * and checks; options given here override the job file's settings, as flags do.
 */
export type JobSettings = {
  /** A job file (jobs/*.json). Relative paths inside it are relative to the file. */
  job?: string;
  /** A manifest file (.csv or .json); overrides the job file's. */
  manifest?: string;
  /** `SP/GROUP`: every user of the group (or the group, for a group operation) gets the job file's defaults. */
  group?: string;
  /** What to change (`odin-bulk operations` lists them). @default 'user-call-processing-policy' */
  operation?: string;
  /** Job name, used in the report folder name. @default the job file's name, or the manifest's file name */
  name?: string;
  /** Refuse changes that a gate flag left false makes ineffective. @default false */
  strictGates?: boolean;
  /** The character between a CSV manifest's cells, e.g. ';' for files saved by Excel in much of Europe. @default ',' */
  delimiter?: string;
};

/** How a call talks to Odin and when it gives up: the speed and connection flags, the failure budget. */
export type PacingSettings = {
  /** Rows (targets) in flight at once, or 'auto' (adapts to the server). @default 4 */
  concurrency?: number | 'auto';
  /** Ceiling for `concurrency: 'auto'`. @default 64 */
  maxConcurrency?: number;
  /** Requests per second for the whole run; 0 = uncapped. @default 5 */
  rate?: number;
  /** Retries per request on network errors, timeouts, 429 and 5xx. @default 4 */
  retries?: number;
  /** Seconds to wait for each request. @default 30 */
  timeout?: number;
  /** Stop when more rows fail: a count (25) or a share of finished rows ('10%'). @default '10%' once 20 rows are done */
  maxFailures?: number | string;
};

/** Canary and waves (`run`, `apply`): write a few users first, check they hold, then the rest. */
export type WaveSettings = {
  /** Write only the first N rows that need a change (`10`, or `'1%'` of the rows); the rest stay `waiting` for `resume`. */
  canary?: number | string;
  /** Cumulative waves, e.g. `'1%,10%,100%'`: after each, wait `settle`, read its users again and stop if they do not hold. */
  waves?: string;
  /** Seconds to wait after a wave before its users are read again. @default 5 */
  settle?: number;
  /** Failed or reverted users a wave may have before the run stops (exit code 4). @default 0 */
  waveMaxFailures?: number;
  /** `'manifest'` (default) or `'spread'`: the first waves take rows evenly across groups. */
  waveOrder?: 'manifest' | 'spread';
};

/** How a run or plan talks to Odin and where it reports: the flags of `odin-bulk run`. */
export type RunSettings = JobSettings & PacingSettings & WaveSettings & {
  /** Report folder; it must be new or empty. @default reports/<job>-<UTC time>/ below the working directory */
  out?: string;
  /** Continue the interrupted run in this report folder: rows its journal finished are not sent again. */
  resume?: string;
  /** With `resume`: redo the rows that failed in the earlier attempt too. @default false */
  retryFailed?: boolean;
  /** `K/N`: only shard K of N (rows split by a hash of the target id). */
  shard?: string;
  /** user-services: a group that would run out of licences gets its rows written up to the limit, the rest skipped. @default false */
  allowPartial?: boolean;
};

/** The library function of each command, and the options it takes besides the table's settings. */
const FUNCTIONS = {
  validateJob: { command: 'validate', extra: ['name', 'env'] },
  runJob: { command: 'run', extra: ['connection', 'logger', 'env', 'signal'] },
  planJob: { command: 'plan', extra: ['connection', 'logger', 'env', 'signal'] },
  applyPlan: { command: 'apply', extra: ['plan', 'connection', 'logger', 'env', 'signal'] },
  exportValues: { command: 'export', extra: ['connection', 'logger', 'env', 'signal'] },
} as const satisfies Record<string, { command: Command; extra: readonly string[] }>;

export type LibraryFunction = keyof typeof FUNCTIONS;

/** The settings a library function takes: its command's settings in the table, less those only the CLI has. */
function librarySettings(fn: LibraryFunction): SettingName[] {
  const { command } = FUNCTIONS[fn];
  return settingsOf(command).filter((name) => {
    const spec: SettingSpec = SETTINGS[name];
    return !spec.cliOnly && !spec.commands[command]?.cliOnly;
  });
}

/** Every option each library function takes, from the settings table. */
export const OPTION_KEYS: Readonly<Record<LibraryFunction, readonly string[]>> = Object.fromEntries(
  (Object.keys(FUNCTIONS) as LibraryFunction[]).map((fn) => [fn, [...librarySettings(fn), ...FUNCTIONS[fn].extra]]),
) as unknown as Record<LibraryFunction, readonly string[]>;

/** The settings among a library call's options, for the same checks as the CLI's flags (nothing else travels on). */
export function settingsFrom(fn: LibraryFunction, options: object): RunFlags {
  const values = options as Record<string, unknown>;
  return Object.fromEntries(librarySettings(fn).filter((k) => values[k] !== undefined).map((k) => [k, values[k]])) as RunFlags;
}

/**
 * Refuses an option the function does not know: a misspelt `rate` must not quietly run at the default speed.
 * A TypeError, as for any programmer's mistake.
 */
export function checkOptionKeys(fn: LibraryFunction, options: unknown): void {
  if (!options || typeof options !== 'object') {
    throw new TypeError(`Expected the options of \`${fn}\` to be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const known: readonly string[] = OPTION_KEYS[fn];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new TypeError(`Unknown option${unknown.length === 1 ? '' : 's'} of \`${fn}\`: ${unknown.map((k) => `\`${k}\``).join(', ')} (known: ${known.join(', ')})`);
  }
}
