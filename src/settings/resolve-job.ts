import { basename, extname } from 'node:path';
import { JobError } from '../model/errors.js';
import { formatProblem } from '../manifest/validate-manifest.js';
import type { Problem } from '../manifest/types.js';
import { DEFAULT_DELIMITER } from '../manifest/read-csv.js';
import { checkSetting, type CheckedValues } from './check-setting.js';
import type { Env } from './expand-env.js';
import type { GroupTarget } from './group-target.js';
import type { JobOptions } from './job-options.js';
import { loadJobFile, type JobFile } from './load-job-file.js';
import { resolveWavePlan } from './wave-plan.js';
import { SETTINGS, type Command, type GivenSettings, type SettingName, type SettingSpec } from './settings-table.js';

/** Settings as the command line (or a library call) gives them; each one given overrides the job file. */
export type RunFlags = GivenSettings;

/** Reports a problem of a flag: `--concurrency`, and the message. */
export type FlagProblem = (flag: string, message: string) => void;

/**
 * The table's settings `names`, each from the flag (checked here), else the job file (checked when it was read),
 * else the table's default; in the internal units. A bad flag is reported through `flag` under its name.
 */
export function resolveSettings<N extends SettingName>(
  names: readonly N[],
  given: GivenSettings,
  { job, flag, command, defaults = true }: { job?: JobFile; flag: FlagProblem; command?: Command; defaults?: boolean },
): Partial<Pick<CheckedValues, N>> {
  const out: Partial<CheckedValues> = {};
  for (const name of names) {
    const spec: SettingSpec = SETTINGS[name];
    const value = given[name];
    if (value !== undefined) {
      const checked = checkSetting(name, value, 'flag', command);
      if ('problem' in checked) flag(`--${spec.flag ?? name}`, checked.problem);
      else (out as Record<string, unknown>)[name] = checked.value;
    } else if (job?.settings[name] !== undefined) {
      (out as Record<string, unknown>)[name] = job.settings[name];
    } else if (defaults && spec.default !== undefined) {
      const checked = checkSetting(name, spec.default, 'job', command);
      if ('value' in checked) (out as Record<string, unknown>)[name] = checked.value;
    }
  }
  return out;
}

/**
 * The job file named by `--job` (the positional), loaded and checked; a bad one is EINPUT listing every problem. An
 * empty one (`odin-bulk run "$JOB"` with JOB unset) names no file: it is not taken as "no job file".
 */
export async function readJobFile(path: string | undefined, env: Env): Promise<JobFile | undefined> {
  if (path === undefined) return undefined;
  if (path.trim() === '') {
    throw inputError('invalid settings', [{ file: 'command line', field: 'job', message: "is empty: give the job file's path (an unset variable?), or leave it off" }]);
  }
  const loaded = await loadJobFile(path, env);
  if (loaded.problems.length) throw inputError(`${path} is not a valid job file`, loaded.problems);
  return loaded.job;
}

/** Collects problems of the command line, to be thrown together as one EINPUT. */
export function problemList(): { problems: Problem[]; flag: FlagProblem; throwIfAny(): void } {
  const problems: Problem[] = [];
  return {
    problems,
    flag: (field, message) => problems.push({ file: 'command line', field, message }),
    throwIfAny() {
      if (problems.length) throw inputError('invalid settings', problems);
    },
  };
}

/** Files, folders and names given as flags, which an empty value would turn into something else (see below). */
const NOT_EMPTY = ['manifest', 'out', 'name'] as const;

/**
 * `--out ""`, `--manifest "$UNSET"`, `--name " "`: an empty value names no file, folder or job. Without this check
 * it became a folder named "", a manifest named "" or a report folder named "-<time>": a problem naming the flag.
 */
export function refuseEmptyFlags(given: GivenSettings, flag: FlagProblem, names: readonly (typeof NOT_EMPTY)[number][] = NOT_EMPTY): void {
  for (const name of names) {
    const value = given[name];
    if (typeof value === 'string' && value.trim() === '') flag(`--${SETTINGS[name].flag}`, `is empty: give a value (an unset variable?), or leave --${SETTINGS[name].flag} off`);
  }
}

/** The settings of a job (run, plan, validate, export) that come from the table as they are. */
const JOB_SETTINGS = ['operation', 'strictGates', 'allowPartial', 'concurrency', 'maxConcurrency', 'rate', 'retries', 'timeout', 'maxFailures', 'shard', 'delimiter'] as const;

/**
 * Merges a job file (if any) with the flags and checks the result. Throws JobError EINPUT (exit 2).
 * `env` fills `${VAR}` in the job file.
 */
export async function resolveJob(flags: GivenSettings, env: Env = {}): Promise<JobOptions> {
  const job = await readJobFile(flags.job, env);
  const check = problemList();
  const { flag } = check;
  refuseEmptyFlags(flags, flag);
  const { manifest, target } = pickInput(flags, job, flag);
  const s = resolveSettings(JOB_SETTINGS, flags, { job, flag });
  const options: JobOptions = {
    name: flags.name ?? job?.settings.name ?? (manifest ? basename(manifest, extname(manifest)) : target ? target.groupId : 'job'),
    op: s.operation!,
    manifest,
    ...(s.delimiter !== undefined && s.delimiter !== DEFAULT_DELIMITER ? { delimiter: s.delimiter } : {}),
    target,
    defaults: { values: job?.defaults ?? {}, file: job?.file ?? 'command line' },
    concurrency: s.concurrency!,
    maxConcurrency: s.maxConcurrency!,
    rate: s.rate!,
    retries: s.retries!,
    timeoutMs: s.timeout!,
    dryRun: flags.dryRun ?? false,
    strictGates: s.strictGates ?? false,
    ...(s.allowPartial ? { allowPartial: true } : {}),
    outDir: flags.resume ?? flags.out,
    resume: flags.resume !== undefined,
    retryFailed: flags.retryFailed ?? false,
    maxFailures: s.maxFailures!,
    failOnChanges: flags.failOnChanges ?? false,
    ...(s.shard ? { shard: s.shard } : {}),
  };
  const waves = resolveWavePlan(flags, flag, { dryRun: options.dryRun });
  if (waves) options.waves = waves;
  if (flags.retryFailed && flags.resume === undefined) flag('--retry-failed', 'only goes with --resume DIR (it redoes the rows that failed in that run)');
  if (flags.resume === '') flag('--resume', 'give the report folder of the run to continue, e.g. --resume reports/clid-20261130T101500Z');
  if (flags.resume !== undefined && flags.out !== undefined && flags.out !== flags.resume) {
    flag('--out', `--resume writes into the folder it resumes (${flags.resume}); leave --out off`);
  }
  if (options.failOnChanges && !options.dryRun) {
    flag('--fail-on-changes', 'only a plan can fail on changes: use `odin-bulk plan` or --dry-run (a real run would make the changes)');
  }
  check.throwIfAny();
  return options;
}

/**
 * What the job runs over: a manifest, or a group. A flag overrides the job file's choice; `--manifest` and `--group`
 * together are an error.
 */
function pickInput(flags: GivenSettings, job: JobFile | undefined, flag: FlagProblem): { manifest?: string; target?: GroupTarget } {
  if (flags.manifest !== undefined && flags.group !== undefined) {
    flag('--group', 'give either --manifest or --group, not both');
    return {};
  }
  if (flags.group !== undefined) {
    const { group } = resolveSettings(['group'], flags, { flag });
    return group ? { target: group } : {};
  }
  if (flags.manifest !== undefined) return { manifest: flags.manifest };
  if (job?.settings.manifest || job?.settings.group) return { manifest: job.settings.manifest, target: job.settings.group };
  flag('--manifest', 'no manifest: give a job file with "manifest" or "target", or --manifest FILE, or --group SP/GROUP');
  return {};
}

export function inputError(message: string, problems: Problem[]): JobError {
  return new JobError('EINPUT', message, problems.map(formatProblem));
}
