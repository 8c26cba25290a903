import { createOdinClient, RowFailure, type OdinClient } from '../client/odin-client.js';
import type { UserServices } from '../client/parse-user-services.js';
import { EXIT, JobError } from '../model/errors.js';
import type { Connection } from '../settings/connection.js';
import type { Secrets } from '../logging/secrets.js';
import { STEP_JOIN } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { formatGroupTarget } from '../settings/group-target.js';
import { checkOperation, withoutHint, type CheckTarget } from './check-operation.js';
import type { DoctorPlan } from './doctor-input.js';
import type { DoctorResult, LoginCheck, OperationCheck, SampleTarget } from './doctor-types.js';

export type DoctorSettings = { retries: number; timeoutMs: number };

export type DoctorDeps = {
  secrets: Secrets;
  /** A client other than the real one (tests). */
  createClient?: (connection: Connection, settings: DoctorSettings) => OdinClient;
};

/**
 * `odin-bulk doctor` after its input is resolved: logs in, finds the user and group to read, reads each operation
 * once (one request at a time) and says whether the job can run as written. Sends no write. Never throws for
 * what the server answers: a refused login, a missing endpoint or an unknown user are results, with their exit code.
 */
export async function runDoctor(plan: DoctorPlan, connection: Connection, settings: DoctorSettings, deps: DoctorDeps): Promise<DoctorResult> {
  const client = deps.createClient
    ? deps.createClient(connection, settings)
    : createOdinClient({ ...connection, rate: 0, retries: settings.retries, timeoutMs: settings.timeoutMs }, { secrets: deps.secrets });
  const result: DoctorResult = {
    version: 1,
    baseUrl: connection.baseUrl,
    login: { ok: true },
    ...(plan.job ? { job: plan.job } : {}),
    operations: [],
    requests: 0,
    exitCode: EXIT.ok,
    result: '',
  };
  try {
    result.login = await logIn(client);
    if (!result.login.ok) return finish(result, client, 'cannot log in', EXIT.couldNotStart);

    const user = plan.user ? await sampleUser(client, plan) : undefined;
    if (user) result.user = user;
    if (plan.group) result.group = { id: formatGroupTarget(plan.group.group), from: plan.group.from };
    const services = servicesOnce(client);
    for (const op of plan.ops) {
      result.operations.push(await checkOperation(client, op, targetFor(op, result.user, plan), plan.job, services));
    }
    return finish(result, client, ...verdict(result));
  } finally {
    client.close();
  }
}

async function logIn(client: OdinClient): Promise<LoginCheck> {
  try {
    await client.start();
  } catch (error) {
    if (!(error instanceof JobError)) throw error;
    return { ok: false, code: error.code, error: error.message, details: error.details };
  }
  const s = client.session ?? {};
  return {
    ok: true,
    ...(s.loginType ? { loginType: s.loginType } : {}),
    ...(s.userId ? { userId: s.userId } : {}),
    ...(s.version ? { version: s.version } : {}),
    ...(s.softwareVersion ? { softwareVersion: s.softwareVersion } : {}),
    ...(s.expiresAt !== undefined ? { tokenExpiresAt: new Date(s.expiresAt).toISOString() } : {}),
  };
}

/** The user to read: the one given, or the first user the group lists (a failed listing is said, not thrown). */
async function sampleUser(client: OdinClient, plan: DoctorPlan): Promise<SampleTarget> {
  const source = plan.user!;
  if (source.kind === 'given') return { id: source.userId, from: source.from };
  try {
    const [first] = await client.listGroupUsers(source.group);
    return first ? { id: first, from: source.from } : { from: source.from, error: { kind: 'not-found', message: `group ${formatGroupTarget(source.group)} has no users` } };
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    const name = formatGroupTarget(source.group);
    const why = withoutHint(error.message);
    if (error.code === 'NOT_FOUND') return { from: source.from, error: { kind: 'not-found', message: `group ${name} was not found (${why})` } };
    return { from: source.from, error: { kind: 'unreadable', message: `cannot list the users of group ${name}: ${why}` } };
  }
}

function targetFor(op: OperationDef, user: SampleTarget | undefined, plan: DoctorPlan): CheckTarget {
  if (op.keyFields.includes('userId')) {
    if (user?.id) return { key: { userId: user.id }, id: user.id };
    return { none: user?.error ? `no user to read: ${user.error.message}` : 'no user to read: give --user ID, or --group SP/GROUP to read its first user' };
  }
  if (!plan.group) return { none: 'no group to read: give --group SP/GROUP' };
  const { serviceProviderId, groupId } = plan.group.group;
  return { key: { serviceProviderId, groupId }, id: formatGroupTarget(plan.group.group) };
}

function servicesOnce(client: OdinClient): (userId: string) => Promise<UserServices | { error: string }> {
  const cache = new Map<string, Promise<UserServices | { error: string }>>();
  return (userId) => {
    let pending = cache.get(userId);
    if (!pending) {
      pending = client.readUserServices(userId, { requests: 0, retries: 0 }).catch((error: unknown) => {
        if (!(error instanceof RowFailure)) throw error;
        return { error: withoutHint(error.message) };
      });
      cache.set(userId, pending);
    }
    return pending;
  };
}

/**
 * The verdict, over the operations the job needs (all of them without a job): 3 when an endpoint is missing or
 * unreadable, a field the job sets is not returned, or the group's users cannot be listed; 2 when the user or group
 * to read does not exist; else 0. Failures of other operations (`--all` with a job) are reported, not counted.
 */
function verdict(result: DoctorResult): [string, 0 | 2 | 3] {
  const needed = result.operations.filter((c) => !result.job || result.job.operation.split(STEP_JOIN).includes(c.operation));
  const others = result.operations.filter((c) => !needed.includes(c) && c.verdict === 'fail').map((c) => c.operation);
  const aside = others.length ? `; other operations that cannot run here: ${others.join(', ')}` : '';
  const listing = result.user?.error;
  const failed = needed.filter((c) => c.verdict === 'fail');
  if (failed.length || listing?.kind === 'unreadable') {
    const reasons = failed.map((c) => `${c.operation}: ${c.jobFieldsNotReturned.length ? `${c.jobFieldsNotReturned.join(', ')} not returned` : `endpoint ${c.endpoint}`}`);
    if (listing?.kind === 'unreadable') reasons.unshift(listing.message);
    return [`${result.job ? 'the job cannot run as written' : 'not every endpoint checked answers'} (${reasons.join('; ')})${aside}`, EXIT.couldNotStart];
  }
  const notFound = needed.find((c) => c.endpoint === 'target-not-found');
  if (listing || notFound) {
    return [`nothing could be checked with the target given: ${listing ? listing.message : `${notFound!.target} was not found`}${aside}`, EXIT.invalidInput];
  }
  const notes = result.operations.some((c) => c.notes.length > 0);
  const base = result.job ? 'the job can run as written' : 'every endpoint checked answers';
  return [`${base}${notes ? '; see the notes' : ''}${aside}`, EXIT.ok];
}

/** The result with its verdict, its keys in reading order (what --json prints). */
function finish(result: DoctorResult, client: OdinClient, sentence: string, exitCode: 0 | 2 | 3): DoctorResult {
  const { version, baseUrl, login, job, user, group, operations } = result;
  return {
    version,
    baseUrl,
    login,
    ...(job ? { job } : {}),
    ...(user ? { user } : {}),
    ...(group ? { group } : {}),
    operations: operations.map(orderedCheck),
    requests: client.stats.requests + client.stats.logins,
    exitCode,
    result: sentence,
  };
}

function orderedCheck(c: OperationCheck): OperationCheck {
  const { operation, request, target, endpoint, httpStatus, message, notReturned, absent, unknownFields, service, jobFieldsNotReturned, verdict, notes } = c;
  return {
    operation,
    request,
    ...(target !== undefined ? { target } : {}),
    endpoint,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(message !== undefined ? { message } : {}),
    notReturned,
    absent,
    unknownFields,
    ...(service ? { service } : {}),
    jobFieldsNotReturned,
    verdict,
    notes,
  };
}
