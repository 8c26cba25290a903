import { basename, extname } from 'node:path';
import { JobError } from '../model/errors.js';
import { formatProblem } from '../manifest/validate-manifest.js';
import type { Problem } from '../manifest/types.js';
import { suggest } from '../operations/coerce-value.js';
import { DEFAULT_OPERATION, findOperation, OPERATIONS } from '../operations/registry.js';
import { DEFAULT_FAILURE_BUDGET, parseFailureBudget } from './max-failures.js';
import type { Env } from './expand-env.js';
import { parseGroupFlag, type GroupTarget } from './group-target.js';
import { DEFAULTS, LIMITS, type JobOptions } from './job-options.js';
import { concurrencySettings } from './concurrency-settings.js';
import { loadJobFile, type JobFile } from './load-job-file.js';
import { parseShard } from './shard.js';
import { checkDelimiter } from './delimiter.js';
import { DEFAULT_DELIMITER } from '../manifest/read-csv.js';

/** Command-line settings; each one given overrides the job file. */
export type RunFlags = {
  job?: string;
  manifest?: string;
  /** `SP/GROUP`: target every user of the group (or the group itself, for a group operation) instead of a manifest. */
  group?: string;
  operation?: string;
  /** The CSV manifest's cell separator: one character, or `tab`. */
  delimiter?: string;
  name?: string;
  /** A number, or 'auto'. */
  concurrency?: number | string;
  maxConcurrency?: number;
  rate?: number;
  retries?: number;
  /** Seconds. */
  timeout?: number;
  out?: string;
  dryRun?: boolean;
  strictGates?: boolean;
  /** Report folder of an interrupted run to continue. */
  resume?: string;
  /** With `resume`: redo the rows that failed, too. */
  retryFailed?: boolean;
  /** `25` or `10%`. */
  maxFailures?: string;
  /** Exit 5 when a plan finds rows to change; only with plan / --dry-run. */
  failOnChanges?: boolean;
  /** `K/N`: run only shard K of N. */
  shard?: string;
};

/**
 * Merges a job file (if any) with the flags and checks the result. Throws JobError EINPUT (exit 2).
 * `env` fills `${VAR}` in the job file.
 */
export async function resolveJob(flags: RunFlags, env: Env = {}): Promise<JobOptions> {
  let job: JobFile | undefined;
  if (flags.job) {
    const loaded = await loadJobFile(flags.job, env);
    if (loaded.problems.length) throw inputError(`${flags.job} is not a valid job file`, loaded.problems);
    job = loaded.job;
  }
  const problems: Problem[] = [];
  const flag = (field: string, message: string) => problems.push({ file: 'command line', field, message });

  const { manifest, target } = pickInput(flags, job, flag);

  const opName = flags.operation ?? job?.operation ?? DEFAULT_OPERATION;
  const op = findOperation(opName);
  if (!op) {
    const hint = suggest(opName, OPERATIONS.map((o) => o.name));
    const message = `unknown operation "${opName}"${hint ? `: did you mean "${hint}"?` : ''} (one of: ${OPERATIONS.map((o) => o.name).join(', ')})`;
    if (flags.operation === undefined && job) problems.push({ file: job.file, field: 'operation', message });
    else flag('--operation', message);
  }

  const checked = (field: keyof typeof LIMITS, value: number | undefined, fallback: number, integer = true): number => {
    if (value === undefined) return fallback;
    const { min, max } = LIMITS[field];
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      const seconds = field === 'timeoutMs';
      flag(`--${seconds ? 'timeout' : field}`, `must be from ${seconds ? `${min / 1000} to ${max / 1000} seconds` : `${min} to ${max}`}, got ${seconds ? value / 1000 : value}`);
    }
    return value;
  };
  const options: JobOptions = {
    name: flags.name ?? job?.name ?? (manifest ? basename(manifest, extname(manifest)) : target ? target.groupId : 'job'),
    op: op!,
    manifest,
    ...delimiterSetting(flags, job, flag),
    target,
    defaults: { values: job?.defaults ?? {}, file: job?.file ?? 'command line' },
    ...concurrencySettings(flags, job, flag),
    rate: checked('rate', flags.rate, job?.rate ?? DEFAULTS.rate, false),
    retries: checked('retries', flags.retries, job?.retries ?? DEFAULTS.retries),
    timeoutMs: checked('timeoutMs', flags.timeout === undefined ? undefined : Math.round(flags.timeout * 1000), job?.timeoutMs ?? DEFAULTS.timeoutMs),
    dryRun: flags.dryRun ?? false,
    strictGates: flags.strictGates ?? job?.strictGates ?? false,
    outDir: flags.resume ?? flags.out,
    resume: flags.resume !== undefined,
    retryFailed: flags.retryFailed ?? false,
    maxFailures: DEFAULT_FAILURE_BUDGET,
    failOnChanges: flags.failOnChanges ?? false,
  };
  if (flags.retryFailed && flags.resume === undefined) flag('--retry-failed', 'only goes with --resume DIR (it redoes the rows that failed in that run)');
  if (flags.resume === '') flag('--resume', 'give the report folder of the run to continue, e.g. --resume reports/clid-20261130T101500Z');
  if (flags.resume !== undefined && flags.out !== undefined && flags.out !== flags.resume) {
    flag('--out', `--resume writes into the folder it resumes (${flags.resume}); leave --out off`);
  }
  const budget = flags.maxFailures === undefined ? job?.maxFailures : parseFailureBudget(flags.maxFailures);
  if (budget && 'problem' in budget) flag('--max-failures', budget.problem);
  else if (budget) options.maxFailures = budget;
  if (options.failOnChanges && !options.dryRun) {
    flag('--fail-on-changes', 'only a plan can fail on changes: use `odin-bulk plan` or --dry-run (a real run would make the changes)');
  }
  if (flags.shard !== undefined) {
    const shard = parseShard(flags.shard);
    if ('problem' in shard) flag('--shard', shard.problem);
    else options.shard = shard;
  }
  if (problems.length) throw inputError('invalid settings', problems);
  return options;
}

/**
 * What the job runs over: a manifest, or a group. A flag overrides the job file's choice; `--manifest` and `--group`
 * together are an error.
 */
function pickInput(
  flags: RunFlags,
  job: JobFile | undefined,
  flag: (field: string, message: string) => void,
): { manifest?: string; target?: GroupTarget } {
  if (flags.manifest !== undefined && flags.group !== undefined) {
    flag('--group', 'give either --manifest or --group, not both');
    return {};
  }
  if (flags.group !== undefined) {
    const parsed = parseGroupFlag(flags.group);
    if ('problem' in parsed) flag('--group', parsed.problem);
    return 'target' in parsed ? { target: parsed.target } : {};
  }
  if (flags.manifest !== undefined) return { manifest: flags.manifest };
  if (job?.manifest || job?.target) return { manifest: job.manifest, target: job.target };
  flag('--manifest', 'no manifest: give a job file with "manifest" or "target", or --manifest FILE, or --group SP/GROUP');
  return {};
}

/** `--delimiter` over the job file's `delimiter`; set only when it is not the comma. */
function delimiterSetting(flags: RunFlags, job: JobFile | undefined, flag: (field: string, message: string) => void): { delimiter?: string } {
  if (flags.delimiter === undefined) return job?.delimiter && job.delimiter !== DEFAULT_DELIMITER ? { delimiter: job.delimiter } : {};
  const checked = checkDelimiter(flags.delimiter);
  if ('problem' in checked) {
    flag('--delimiter', checked.problem);
    return {};
  }
  return checked.delimiter === DEFAULT_DELIMITER ? {} : { delimiter: checked.delimiter };
}

export function inputError(message: string, problems: Problem[]): JobError {
  return new JobError('EINPUT', message, problems.map(formatProblem));
}
