import { validateJob } from '../api/validate-job.js';
import { JobError } from '../model/errors.js';
import type { Env } from '../settings/expand-env.js';
import { resolveJob } from '../settings/resolve-job.js';
import { openManifest } from '../manifest/open-manifest.js';
import { ownValue } from '../operations/field-lookup.js';
import { keyProblem } from '../operations/key-fields.js';
import { suggest } from '../operations/coerce-value.js';
import { findOperation, OPERATIONS, SETTINGS_OPERATIONS } from '../operations/registry.js';
import { isStepsOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { formatGroupTarget, parseGroupFlag, type GroupTarget } from '../settings/group-target.js';

/** The flags of `odin-bulk doctor`. */
export type DoctorFlags = {
  /** A job file: its operation, its manifest (or group) and the fields it sets. */
  job?: string;
  /** A manifest instead of (or over) the job file's. */
  manifest?: string;
  delimiter?: string;
  /** Check only this operation (over the job's). */
  operation?: string;
  /** Check all nine operations. */
  all?: boolean;
  /** Read this user. */
  user?: string;
  /** `SP/GROUP`: read this group (group operations) and its first user (user operations). */
  group?: string;
};

/** Where the user or group to read comes from, before logging in. */
export type UserSource = { kind: 'given'; userId: string; from: string } | { kind: 'group'; group: GroupTarget; from: string };
export type GroupSource = { group: GroupTarget; from: string };

/** The job checked: its file, its operation, its manifest or group, how many rows, the fields it sets. */
export type DoctorJob = { file?: string; operation: string; source: string; rows?: number; fieldsUsed: string[] };

/** What doctor will check, all of it decided offline: bad input is exit 2 before anything is sent. */
export type DoctorPlan = {
  ops: readonly OperationDef[];
  job?: DoctorJob;
  user?: UserSource;
  group?: GroupSource;
};

const isUserOp = (op: OperationDef) => op.keyFields.includes('userId');

/**
 * Reads the flags and, with a job or a manifest, checks them as `validate` does (the whole manifest): the operations
 * to check, the fields the job sets, and which user and group to read (given, the manifest's first row, or the
 * first user of the group). Any problem is JobError EINPUT / EMANIFEST_INVALID (exit 2), nothing sent.
 */
export async function resolveDoctor(flags: DoctorFlags, env: Env): Promise<DoctorPlan> {
  const problems: string[] = [];
  if (flags.all && flags.operation !== undefined) problems.push('command line --all: give either --all or --operation NAME, not both');
  if (flags.user !== undefined && flags.group !== undefined) problems.push('command line --group: give either --user ID or --group SP/GROUP, not both');
  const userProblem = flags.user === undefined ? undefined : keyProblem('userId', flags.user);
  if (userProblem) problems.push(`command line --user: ${userProblem}`);
  const parsedGroup = flags.group === undefined ? undefined : parseGroupFlag(flags.group);
  if (parsedGroup && 'problem' in parsedGroup) problems.push(`command line --group: ${parsedGroup.problem}`);
  const hasJob = flags.job !== undefined || flags.manifest !== undefined;
  if (!hasJob && flags.delimiter !== undefined) problems.push('command line --delimiter: only goes with a job or --manifest');
  let named: OperationDef | undefined;
  if (!hasJob && flags.operation !== undefined) {
    named = findOperation(flags.operation);
    if (!named) {
      const hint = suggest(flags.operation, OPERATIONS.map((o) => o.name));
      problems.push(`command line --operation: unknown operation "${flags.operation}"${hint ? `: did you mean "${hint}"?` : ''} (one of: ${OPERATIONS.map((o) => o.name).join(', ')})`);
    }
  }
  if (named?.assignment) problems.push(assignmentRefused(named));
  if (problems.length) throw new JobError('EINPUT', 'invalid settings', problems);

  const given = parsedGroup && 'target' in parsedGroup ? { group: parsedGroup.target, from: '--group' } : undefined;
  let user: UserSource | undefined = flags.user !== undefined ? { kind: 'given', userId: flags.user, from: '--user' } : undefined;
  let group: GroupSource | undefined = given;
  let job: DoctorPlan['job'];
  let ops: readonly OperationDef[];

  if (hasJob) {
    const settings = { job: flags.job, manifest: flags.manifest, operation: flags.operation, delimiter: flags.delimiter };
    const options = await resolveJob(settings, env);
    const checked = await validateJob({ ...settings, env });
    job = {
      ...(flags.job !== undefined ? { file: flags.job } : {}),
      operation: options.op.name,
      source: checked.source,
      ...(checked.rows !== undefined ? { rows: checked.rows } : {}),
      fieldsUsed: checked.fieldsUsed,
    };
    if (options.op.assignment) throw new JobError('EINPUT', 'invalid settings', [assignmentRefused(options.op)]);
    // A job of steps: each step's operation that reads settings is read and checked.
    ops = flags.all ? SETTINGS_OPERATIONS : isStepsOperation(options.op) ? options.op.steps.filter((s) => !s.assignment) : [options.op];
    if (options.target) group ??= { group: options.target, from: `the job's target` };
    else if (options.manifest) {
      const first = await firstRow(options.manifest, options.op, options.delimiter);
      if (isUserOp(options.op)) user ??= { kind: 'given', userId: first.key.userId!, from: `first row of ${options.manifest}, line ${first.line}` };
      else group ??= { group: { serviceProviderId: first.key.serviceProviderId!, groupId: first.key.groupId! }, from: `first row of ${options.manifest}, line ${first.line}` };
    }
  } else {
    ops = named ? [named] : SETTINGS_OPERATIONS;
  }
  if (!user && group) user = { kind: 'group', group: group.group, from: `first user of group ${formatGroupTarget(group.group)}` };

  const unreadable = ops.filter((op) => (isUserOp(op) ? !user : !group));
  const asked = flags.all || (!hasJob && !named) ? [] : unreadable;
  if (unreadable.length === ops.length || asked.length > 0) {
    const needs = (asked.length ? asked : unreadable).map((op) => `${op.name} reads ${isUserOp(op) ? 'a user: give --user ID, or --group SP/GROUP to read its first user' : 'a group: give --group SP/GROUP'}`);
    throw new JobError('EINPUT', 'doctor needs a user or a group to read', [...new Set(needs)]);
  }
  return { ops, ...(job ? { job } : {}), ...(user ? { user } : {}), ...(group ? { group } : {}) };
}

/** The manifest's first row's key (the manifest was validated whole just before). */
async function firstRow(file: string, op: OperationDef, delimiter?: string): Promise<{ line: number; key: Record<string, string> }> {
  const opened = await openManifest(file, { delimiter });
  if ('problem' in opened) throw new JobError('EMANIFEST_INVALID', `${file} cannot be used; nothing was sent`, [opened.problem.message]);
  for await (const raw of opened.source.rows()) {
    const key: Record<string, string> = {};
    for (const name of op.keyFields) key[name] = String(ownValue(raw.cells, name) ?? '');
    return { line: raw.line, key };
  }
  throw new JobError('EMANIFEST_INVALID', `${file} has no rows: nothing to read`);
}

/** doctor reads settings; the service assignment is checked by a plan, which reads the users and their groups' licences. */
function assignmentRefused(op: OperationDef): string {
  return `--operation ${op.name}: doctor checks the operations that read settings; odin-bulk plan checks ${op.name} (it reads each user's services and each group's licences, sending no write)`;
}
