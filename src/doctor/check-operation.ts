import { DOCTOR_HINT } from '../client/classify-failure.js';
import { RowFailure, type OdinClient } from '../client/odin-client.js';
import type { UserServices } from '../client/parse-user-services.js';
import { namesOfStep } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { compareAnswer } from './compare-answer.js';
import type { DoctorJob } from './doctor-input.js';
import type { EndpointState, OperationCheck } from './doctor-types.js';

/** The user's services, or why they could not be read; fetched once per user and shared by the operations. */
export type ServicesLookup = (userId: string) => Promise<UserServices | { error: string }>;

/** What to read an operation with: a target's key, or why there is none. */
export type CheckTarget = { key: Record<string, string>; id: string } | { none: string };

/**
 * One operation: one GET of the target, its keys compared with the operation's fields, and (for a user's service)
 * whether `GET /users/services` lists the service as assigned. Never throws for a request failure: it becomes the
 * endpoint state. Sends no write.
 */
export async function checkOperation(client: OdinClient, op: OperationDef, target: CheckTarget, job: DoctorJob | undefined, services: ServicesLookup): Promise<OperationCheck> {
  const base = { operation: op.name, notReturned: [], absent: [], unknownFields: [], jobFieldsNotReturned: [], notes: [] as string[] };
  if ('none' in target) {
    return { ...base, request: `GET ${op.path}`, endpoint: 'not-checked', verdict: 'not-checked', notes: [target.none] };
  }
  const request = `GET ${op.path}?${op.keyFields.map((k) => `${k}=${target.key[k]}`).join('&')}`;
  const check: OperationCheck = { ...base, request, target: target.id, endpoint: 'answers', verdict: 'ok' };
  if (op.service && op.keyFields.includes('userId')) check.service = await serviceState(op.service, target.key.userId!, services);
  try {
    const read = await client.readRaw(op, target.key, { requests: 0, retries: 0 });
    check.httpStatus = read.status;
    const found = compareAnswer(op, read.body);
    if (!found.holdsSettings) {
      const keys = Object.keys(read.body);
      return fail(check, 'unreadable', `HTTP ${read.status} with none of the operation's fields (${keys.length ? `keys: ${keys.slice(0, 8).join(', ')}` : 'an empty object'})`);
    }
    Object.assign(check, { notReturned: found.notReturned, absent: found.absent, unknownFields: found.unknownFields });
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return failed(check, error, op);
  }
  // A job of steps names its fields OPERATION.FIELD: this operation's are those of its step.
  const jobFields = job?.operation === op.name ? job.fieldsUsed : job ? namesOfStep(op, job.fieldsUsed) : [];
  check.jobFieldsNotReturned = check.notReturned.map((n) => n.field).filter((f) => jobFields.includes(f));
  const jobAbsent = check.absent.filter((f) => jobFields.includes(f));
  const notes = check.notes;
  if (check.jobFieldsNotReturned.length) {
    const named = check.notReturned.filter((n) => jobFields.includes(n.field)).map(withRelease).join(', ');
    notes.push(`the job sets ${named}, which this server did not return: those rows would fail (FIELD_MISSING) and the run would stop; leave ${check.jobFieldsNotReturned.length === 1 ? 'that column' : 'those columns'} (or defaults) out`);
  }
  const others = check.notReturned.filter((n) => !jobFields.includes(n.field));
  if (others.length) {
    const releases = [...new Set(others.map((n) => n.release).filter((r) => r !== undefined))];
    notes.push(`not returned: ${others.map(withRelease).join(', ')}${releases.length ? ': the server may run an older release' : ''}; a job setting ${others.length === 1 ? 'it' : 'one of them'} would stop`);
  }
  if (jobAbsent.length) {
    notes.push(`the job sets ${jobAbsent.join(', ')}, absent from this answer: unset on this user, or unknown to this server (doctor cannot tell which)`);
  }
  if (check.unknownFields.length) notes.push(`returned fields odin-bulk does not know (left alone by every job): ${check.unknownFields.join(', ')}`);
  if (check.service?.assigned === false) notes.push(`GET /users/services lists ${check.service.name} as not assigned to ${target.id}, yet its settings answered`);
  if (check.service?.note) notes.push(check.service.note);
  check.verdict = check.jobFieldsNotReturned.length ? 'fail' : notes.length ? 'note' : 'ok';
  return check;
}

/** A client message without its advice to run doctor: doctor is running. */
export const withoutHint = (message: string) => message.replace(`; ${DOCTOR_HINT}`, '');

const withRelease = (n: { field: string; release?: string }) => (n.release ? `${n.field} (added in BroadWorks ${n.release})` : n.field);

function failed(check: OperationCheck, error: RowFailure, op: OperationDef): OperationCheck {
  check.httpStatus = error.status;
  const message = withoutHint(error.message);
  if (error.code === 'ENDPOINT_MISSING') return fail(check, 'missing', message);
  if (error.code === 'NOT_ASSIGNED') {
    check.endpoint = 'not-assigned';
    check.message = message;
    check.verdict = 'note';
    check.notes.push(
      `${check.target} does not have the ${op.service} service: the endpoint answers, but its fields could not be compared; ` +
        `rows for users without the service fail NOT_ASSIGNED and are never written. Run doctor again with --user ID of a user who has it`,
    );
    if (check.service?.note) check.notes.push(check.service.note);
    return check;
  }
  if (error.code === 'NOT_FOUND') {
    check.endpoint = 'target-not-found';
    check.message = message;
    check.verdict = 'not-checked';
    check.notes.push(`${check.target} was not found: give --user (or --group) naming one that exists`);
    return check;
  }
  return fail(check, 'unreadable', message);
}

function fail(check: OperationCheck, endpoint: EndpointState, message: string): OperationCheck {
  return { ...check, endpoint, message, verdict: 'fail', notes: [...check.notes, message] };
}

async function serviceState(name: string, userId: string, services: ServicesLookup): Promise<NonNullable<OperationCheck['service']>> {
  const listed = await services(userId);
  if ('error' in listed) return { name, assigned: null, note: `whether ${userId} has ${name} is not known: ${listed.error}` };
  if (listed.assigned.includes(name)) return { name, assigned: true };
  if (listed.notAssigned.includes(name)) return { name, assigned: false };
  return { name, assigned: null, note: `GET /users/services does not list ${name} for ${userId} (the group may not be authorised for it)` };
}
