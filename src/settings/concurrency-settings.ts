import { DEFAULTS, LIMITS, type JobOptions } from './job-options.js';
import type { JobFile } from './load-job-file.js';

/**
 * `--concurrency N|auto` and `--max-concurrency N`, each flag winning over the job file's value.
 * A value out of range is reported through `flag` (the caller turns problems into EINPUT).
 */
export function concurrencySettings(
  flags: { concurrency?: number | string; maxConcurrency?: number },
  job: Pick<JobFile, 'concurrency' | 'maxConcurrency'> | undefined,
  flag: (field: string, message: string) => void,
): Pick<JobOptions, 'concurrency' | 'maxConcurrency'> {
  const inRange = (name: string, limits: { min: number; max: number }, value: number, extra = '', shown = String(value)) => {
    if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
      flag(name, `must be a whole number from ${limits.min} to ${limits.max}${extra}, got ${shown}`);
    }
    return value;
  };
  const maxConcurrency = inRange('--max-concurrency', LIMITS.maxConcurrency, flags.maxConcurrency ?? job?.maxConcurrency ?? DEFAULTS.maxConcurrency);
  const given = flags.concurrency;
  if (given === 'auto' || (given === undefined && job?.concurrency === 'auto')) return { concurrency: 'auto', maxConcurrency };
  if (typeof given === 'string') {
    const value = given.trim() === '' ? NaN : Number(given);
    return { concurrency: inRange('--concurrency', LIMITS.concurrency, value, ' or auto', JSON.stringify(given)), maxConcurrency };
  }
  const value = given ?? (job?.concurrency as number | undefined) ?? DEFAULTS.concurrency;
  return { concurrency: inRange('--concurrency', LIMITS.concurrency, value, ' or auto'), maxConcurrency };
}
