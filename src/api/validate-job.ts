import { EXIT } from '../model/errors.js';
import { resolveJob } from '../settings/resolve-job.js';
import type { Problem } from '../manifest/types.js';
import { READ_ONCE_LIMIT } from '../manifest/read-once.js';
import { checkManifest } from '../sources/check-manifest.js';
import { checkInput } from '../sources/job-input.js';
import { formatGroupTarget } from '../settings/group-target.js';
import { checkOptionKeys, settingsFrom, type JobSettings } from './job-settings.js';

export type ValidateJobOptions = JobSettings & {
  /** Fills `${VAR}` in the job file. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
};

/** What `odin-bulk validate` prints, as data. */
export type ValidateResult = {
  operation: string;
  /** The manifest file, or `group SP/GROUP` for a group job. */
  source: string;
  /** Rows in the manifest; undefined for a group job (its users are listed only when it runs). */
  rows?: number;
  /** The fields the job sets, in the operation's order: the report columns. */
  fieldsUsed: string[];
  /** Rows that are valid but probably not meant (a change its gate flag leaves without effect); the first 200. */
  warnings: Problem[];
  warningCount: number;
  /** Always 0: a manifest with problems throws JobError EMANIFEST_INVALID (exit code 2), listing each one. */
  exitCode: 0;
};

/**
 * Checks a job and its whole manifest offline, as `odin-bulk validate` does: no connection, nothing sent.
 * Problems throw a JobError (EMANIFEST_INVALID or EINPUT, exit code 2) whose `details` name file, line and field.
 */
export async function validateJob(options: ValidateJobOptions): Promise<ValidateResult> {
  checkOptionKeys('validateJob', options);
  const job = await resolveJob({ ...settingsFrom('validateJob', options), dryRun: true }, options.env ?? process.env);
  if (job.target) {
    const input = await checkInput(job);
    return { operation: job.op.name, source: `group ${formatGroupTarget(job.target)}`, fieldsUsed: input.fieldsUsed, warnings: [], warningCount: 0, exitCode: EXIT.ok };
  }
  // Nothing is sent after it: no rows are kept for a run (the file is still read once when it is small).
  const { source, check } = await checkManifest(job, { ...READ_ONCE_LIMIT, rows: 0 });
  return {
    operation: job.op.name,
    source: source.file,
    rows: check.rowCount,
    fieldsUsed: check.fieldsUsed,
    warnings: check.warnings,
    warningCount: check.warningCount,
    exitCode: EXIT.ok,
  };
}
