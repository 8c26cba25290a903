import type { OdinClient, RequestTracker } from '../client/odin-client.js';
import type { UserServices } from '../client/parse-user-services.js';
import { RowFailure } from '../client/row-failure.js';
import type { Fields } from '../model/fields.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import { REPORT_FILES } from '../records/report-files.js';
import { assignedNames, compareNames, nameFields, namesNotAsAsked, type AssignedStates, type NameComparison } from '../operations/service-names.js';
import type { OperationDef } from '../operations/types.js';
import type { Step, StepIo } from './step.js';
import { rowStep, type RowWork } from './row-pieces.js';

/** What the licence check (sources/licence-check.ts) learnt of a row before any write. */
export type PreparedAssignment = {
  /** The user's services as read by the licence check, and the requests that read took; or why it failed. */
  read: { services: UserServices; requests: number } | { failure: RowFailure; requests: number };
  /** The row's writes are refused (failed, NO_LICENCE), or skipped with --allow-partial. */
  licence?: { refused: string; names?: string[] } | { skipped: string };
};

/** A row of the service assignment: a target with its lists, and what the licence check found, when it ran. */
export type AssignmentRow = RowTarget & { prepared?: PreparedAssignment };

/** A user's answer as the states of each list: name → assigned. */
export function statesOf(services: UserServices): AssignedStates {
  const map = (l: { assigned: string[]; notAssigned: string[] }) => new Map([...l.notAssigned.map((n) => [n, false] as const), ...l.assigned.map((n) => [n, true] as const)]);
  return { services: map(services), packs: map(services.packs) };
}

/**
 * `user-services`' step for run and plan: read the user's services (`GET /users/services`, or the licence check's
 * read of it), compare the row's lists with them, and PUT `/users/services` with only the names whose state
 * differs; verify from the PUT's answer (or a read-back). A name the user's list lacks fails the row before its
 * write (UNKNOWN_NAME, with "did you mean"); the licence check's verdict refuses or skips a row that would write.
 * Before and after are, per field, the names of its list assigned at the time. A PUT an interrupted attempt sent
 * (a resume: `io.earlier`) keeps the before values it recorded.
 */
export function assignServices({ op, write }: { op: OperationDef; write: boolean }): Step<AssignmentRow> {
  return (row, io) =>
    rowStep(row, async ({ result, track }) => {
      const userId = row.key.userId!;
      const earlier = io.earlier;
      const sentEarlier = earlier ? earlier.changed.filter((f) => f in row.fields) : [];
      const original = (now: Fields): Fields => {
        const before = { ...now };
        for (const f of sentEarlier) before[f] = earlier!.before[f] ?? '';
        return before;
      };
      if (sentEarlier.length) {
        result.before = original({});
        result.changed = [...sentEarlier];
      }
      const held = statesOf(await readServices(row, io.client, userId, track));
      const compared = compareNames(op, row.fields, held);
      result.before = original(compared.before);
      const licence = row.prepared?.licence;
      if (compared.unknown.length) {
        // A service the group is not authorised for is missing from the user's list too: the licence check names it so.
        if (licence && 'refused' in licence) {
          const unexplained = compared.unknown.filter((u) => !licence.names?.includes(u.name)).map((u) => u.message);
          return { status: 'failed', errorCode: 'NO_LICENCE', error: [licence.refused, ...unexplained].join('; '), after: compared.before };
        }
        return { status: 'failed', errorCode: 'UNKNOWN_NAME', error: `not written: ${compared.unknown.map((u) => u.message).join('; ')}`, after: compared.before };
      }
      result.changed = [...sentEarlier, ...compared.changed.filter((f) => !sentEarlier.includes(f))];
      if (compared.changed.length === 0) {
        if (!sentEarlier.length) return { status: 'unchanged', after: compared.before };
        result.warnings.push(`already as requested: the interrupted attempt's PUT had been applied (before values from ${REPORT_FILES.writes})`);
        return { status: 'updated', after: compared.before };
      }
      result.warnings.push(...unassignWarnings(op, compared));
      // Refused or skipped: `changed` keeps only what an interrupted attempt may have written, for rollback.csv.
      if (licence && 'refused' in licence) return { status: 'failed', errorCode: 'NO_LICENCE', error: licence.refused, after: compared.before, changed: sentEarlier };
      if (licence && 'skipped' in licence) return { status: 'skipped', error: licence.skipped, after: compared.before, changed: sentEarlier };
      if (!write) return { status: 'planned' };
      return writeNames(io, op, row, compared, row.fields, { result, track });
    });
}

/**
 * PUTs the compared changes (only those), then checks the user holds every name of `wanted` in its field's state:
 * from the PUT's answer, or a read-back when it lists no services. `updated`, or `failed` VERIFY naming each name.
 */
export async function writeNames(io: StepIo, op: OperationDef, row: RowTarget, compared: NameComparison, wanted: Fields, { result, track }: RowWork): Promise<Partial<RowResult>> {
  const userId = row.key.userId!;
  io.beforeWrite?.(row, result.before ?? {}, compared.changed);
  let answer = await io.client.writeUserServices(userId, compared.changes, track);
  if (!answer) {
    result.warnings.push("the PUT answered without the user's services; after values were read back with GET");
    answer = await io.client.readUserServices(userId, track);
  }
  const after = statesOf(answer);
  result.after = assignedNames(op, row.fields, after);
  const wrong = namesNotAsAsked(op, wanted, after);
  if (!wrong.length) return { status: 'updated' };
  return { status: 'failed', errorCode: 'VERIFY', error: `the server accepted the update but ${wrong.join('; ')}` };
}

/** The licence check's read of the user's services (its requests added to the row's), or a GET of them now. */
export async function readServices(row: AssignmentRow, client: OdinClient, userId: string, track: RequestTracker): Promise<UserServices> {
  const read = row.prepared?.read;
  if (!read) return client.readUserServices(userId, track);
  track.requests += read.requests;
  if ('failure' in read) throw read.failure;
  return read.services;
}

/** What a row's unassignments take with them: the services' settings, which a rollback does not bring back. */
export function unassignWarnings(op: OperationDef, compared: NameComparison): string[] {
  const lists = new Map(nameFields(op).map(([, spec]) => [spec.list, spec] as const));
  const out: string[] = [];
  for (const list of ['services', 'packs'] as const) {
    const gone = compared.changes[list].filter((c) => !c.assigned).map((c) => c.name);
    if (!gone.length || !lists.has(list)) continue;
    const names = gone.join(', ');
    out.push(
      list === 'services'
        ? `unassigning ${names} removes ${gone.length === 1 ? 'its' : 'their'} settings on the server; the rollback re-assigns ${gone.length === 1 ? 'it' : 'them'} with default settings, the settings ${gone.length === 1 ? 'it' : 'they'} had are not restored`
        : `unassigning service pack ${names} removes the settings of the services it gave (those not assigned otherwise); the rollback re-assigns the pack with default settings, the settings are not restored`,
    );
  }
  return out;
}
