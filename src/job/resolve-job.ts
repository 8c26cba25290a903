import { basename, extname } from 'node:path';
import { JobError } from '../errors.js';
import { formatProblem } from '../manifest/validate-manifest.js';
import type { Problem } from '../manifest/types.js';
import { DEFAULT_OPERATION, findOperation, OPERATIONS } from '../operations/registry.js';
import { DEFAULTS, LIMITS, type JobOptions } from './job-options.js';
import { concurrencySettings } from './concurrency-settings.js';
import { loadJobFile, type JobFile } from './load-job-file.js';

/** Command-line settings; each one given overrides the job file. */
export type RunFlags = {
  job?: string;
  manifest?: string;
  operation?: string;
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
};

/** Merges a job file (if any) with the flags and checks the result. Throws JobError EINPUT (exit 2). */
export async function resolveJob(flags: RunFlags): Promise<JobOptions> {
  let job: JobFile | undefined;
  if (flags.job) {
    const loaded = await loadJobFile(flags.job);
    if (loaded.problems.length) throw inputError(`${flags.job} is not a valid job file`, loaded.problems);
    job = loaded.job;
  }
  const problems: Problem[] = [];
  const flag = (field: string, message: string) => problems.push({ file: 'command line', field, message });

  const manifest = flags.manifest ?? job?.manifest;
  if (!manifest) flag('--manifest', 'no manifest: give a job file with "manifest", or --manifest FILE');

  const opName = flags.operation ?? job?.operation ?? DEFAULT_OPERATION;
  const op = findOperation(opName);
  if (!op) flag('--operation', `unknown operation "${opName}" (one of: ${OPERATIONS.map((o) => o.name).join(', ')})`);

  const checked = (field: keyof typeof LIMITS, value: number | undefined, fallback: number, integer = true): number => {
    if (value === undefined) return fallback;
    const { min, max } = LIMITS[field];
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      flag(`--${field === 'timeoutMs' ? 'timeout' : field}`, `must be from ${field === 'timeoutMs' ? `${min / 1000} to ${max / 1000} seconds` : `${min} to ${max}`}, got ${value}`);
    }
    return value;
  };
  const options: JobOptions = {
    name: flags.name ?? job?.name ?? (manifest ? basename(manifest, extname(manifest)) : 'job'),
    op: op!,
    manifest: manifest ?? '',
    defaults: { values: job?.defaults ?? {}, file: job?.file ?? 'command line' },
    ...concurrencySettings(flags, job, flag),
    rate: checked('rate', flags.rate, job?.rate ?? DEFAULTS.rate, false),
    retries: checked('retries', flags.retries, job?.retries ?? DEFAULTS.retries),
    timeoutMs: checked('timeoutMs', flags.timeout === undefined ? undefined : Math.round(flags.timeout * 1000), job?.timeoutMs ?? DEFAULTS.timeoutMs),
    dryRun: flags.dryRun ?? false,
    strictGates: flags.strictGates ?? job?.strictGates ?? false,
    outDir: flags.out,
  };
  if (problems.length) throw inputError('invalid settings', problems);
  return options;
}

export function inputError(message: string, problems: Problem[]): JobError {
  return new JobError('EINPUT', message, problems.map(formatProblem));
}
