import { extname } from 'node:path';
import { JobError } from '../model/errors.js';
import type { JobOptions } from './job-options.js';
import type { Env } from './expand-env.js';
import { resolveJob, type RunFlags } from './resolve-job.js';
import { suggest } from '../operations/coerce-value.js';
import { isField } from '../operations/field-lookup.js';
import { isStepsOperation, stepsOperation } from '../operations/steps-operation.js';

/** The file format of an export, from --out's extension. */
export type ExportFormat = 'csv' | 'json';

/** `odin-bulk export`'s flags: `fields` comma-separated (all fields of the operation when absent), `out` .csv or .json. */
export type ExportFlags = RunFlags;

export type ExportOptions = {
  /** Operation, targets (manifest or group) and the client settings, resolved as for `run`. */
  job: JobOptions;
  fields: string[];
  out: string;
  format: ExportFormat;
  overwrite: boolean;
};

/** Flags (and an optional job file) → ExportOptions. Throws JobError EINPUT (exit 2). `env` fills `${VAR}` in the job file. */
export async function resolveExport(flags: ExportFlags, env: Env = {}): Promise<ExportOptions> {
  const job = settingsOnly(await resolveJob({ ...flags, out: undefined, dryRun: true }, env));
  const problems: string[] = [];
  const { op } = job;
  if (op.assignment) {
    throw new JobError('EINPUT', `export reads settings: ${op.name} has none to export`, [
      `odin-bulk plan --operation ${op.name} shows which of the services a manifest names each user has (before values), sending no write.`,
    ]);
  }

  let fields = Object.keys(op.fields);
  if (flags.fields !== undefined) {
    fields = [...new Set(flags.fields.split(',').map((f) => f.trim()).filter((f) => f !== ''))];
    if (fields.length === 0) problems.push('command line --fields: name at least one field, e.g. --fields isActive,forwardToPhoneNumber');
    for (const f of fields.filter((name) => !isField(op, name))) {
      const hint = suggest(f, Object.keys(op.fields));
      problems.push(`command line --fields: unknown field "${f}"${hint ? `: did you mean "${hint}"?` : ''} (odin-bulk operations ${op.name} lists them)`);
    }
  }
  const ext = flags.out ? extname(flags.out).toLowerCase() : '';
  if (!flags.out) problems.push('command line --out: name the file to write, e.g. --out snapshot.csv');
  else if (ext !== '.csv' && ext !== '.json') problems.push(`command line --out: name the file .csv or .json, got "${ext || '(no extension)'}"`);
  if (problems.length) throw new JobError('EINPUT', 'invalid settings', problems);

  return { job, fields, out: flags.out!, format: ext === '.json' ? 'json' : 'csv', overwrite: flags.overwrite ?? false };
}

/**
 * A job of steps with a user-services step (a baseline that assigns services first) exports its settings steps
 * only: an assignment has no settings to export. Its manifest gives the targets only, so its columns need no change.
 */
function settingsOnly(job: JobOptions): JobOptions {
  const { op } = job;
  if (!isStepsOperation(op) || !op.steps.some((s) => s.assignment)) return job;
  const steps = op.steps.filter((s) => !s.assignment);
  if (steps.length === 1) return { ...job, op: steps[0]! };
  const settings = stepsOperation(steps);
  return 'op' in settings ? { ...job, op: settings.op } : job;
}
