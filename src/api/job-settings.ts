import type { RunFlags } from '../settings/resolve-job.js';

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

/** How a run or plan talks to Odin and where it reports: the flags of `odin-bulk run`. */
export type RunSettings = JobSettings & {
  /** Rows in flight at once, or 'auto' (adapts to the server). @default 4 */
  concurrency?: number | 'auto';
  /** Ceiling for `concurrency: 'auto'`. @default 64 */
  maxConcurrency?: number;
  /** Requests per second for the whole run; 0 = uncapped. @default 5 */
  rate?: number;
  /** Retries per request on network errors, timeouts, 429 and 5xx. @default 4 */
  retries?: number;
  /** Seconds to wait for each request. @default 30 */
  timeout?: number;
  /** Report folder; it must be new or empty. @default reports/<job>-<UTC time>/ below the working directory */
  out?: string;
  /** Continue the interrupted run in this report folder: rows its journal finished are not sent again. */
  resume?: string;
  /** With `resume`: redo the rows that failed in the earlier attempt too. @default false */
  retryFailed?: boolean;
  /** Stop when more rows fail: a count (25) or a share of finished rows ('10%'). @default '10%' once 20 rows are done */
  maxFailures?: number | string;
  /** `K/N`: only shard K of N (rows split by a hash of the target id). */
  shard?: string;
};

/** The CLI's flags from library options; only the known keys, so nothing else (the connection) travels on. */
export function runFlagsOf(settings: RunSettings, dryRun: boolean, failOnChanges?: boolean): RunFlags {
  return {
    job: settings.job,
    manifest: settings.manifest,
    group: settings.group,
    operation: settings.operation,
    name: settings.name,
    strictGates: settings.strictGates,
    delimiter: settings.delimiter,
    concurrency: settings.concurrency,
    maxConcurrency: settings.maxConcurrency,
    rate: settings.rate,
    retries: settings.retries,
    timeout: settings.timeout,
    out: settings.out,
    resume: settings.resume,
    retryFailed: settings.retryFailed,
    maxFailures: settings.maxFailures === undefined ? undefined : String(settings.maxFailures),
    shard: settings.shard,
    dryRun,
    failOnChanges,
  };
}

const CONTEXT_KEYS = ['connection', 'logger', 'env', 'signal'] as const;
const JOB_KEYS = ['job', 'manifest', 'group', 'operation', 'name', 'strictGates', 'delimiter'] as const;
const RUN_KEYS = [...JOB_KEYS, 'concurrency', 'maxConcurrency', 'rate', 'retries', 'timeout', 'out', 'resume', 'retryFailed', 'maxFailures', 'shard'] as const;

export const OPTION_KEYS = {
  validateJob: [...JOB_KEYS, 'env'],
  runJob: [...RUN_KEYS, ...CONTEXT_KEYS],
  planJob: [...RUN_KEYS, 'failOnChanges', ...CONTEXT_KEYS],
  applyPlan: ['plan', 'out', 'force', 'concurrency', 'rate', 'retries', 'timeout', ...CONTEXT_KEYS],
  exportValues: ['job', 'manifest', 'group', 'operation', 'delimiter', 'fields', 'out', 'overwrite', 'concurrency', 'rate', 'retries', 'timeout', 'connection', 'logger', 'env'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Refuses an option the function does not know: a misspelt `rate` must not quietly run at the default speed.
 * A TypeError, as for any programmer's mistake.
 */
export function checkOptionKeys(fn: keyof typeof OPTION_KEYS, options: unknown): void {
  if (!options || typeof options !== 'object') {
    throw new TypeError(`Expected the options of \`${fn}\` to be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const known: readonly string[] = OPTION_KEYS[fn];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new TypeError(`Unknown option${unknown.length === 1 ? '' : 's'} of \`${fn}\`: ${unknown.map((k) => `\`${k}\``).join(', ')} (known: ${known.join(', ')})`);
  }
}
