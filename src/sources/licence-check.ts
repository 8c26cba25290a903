import pLimit from 'p-limit';
import type { OdinClient, RequestTracker } from '../client/odin-client.js';
import type { GroupLicence, GroupServices } from '../client/parse-group-services.js';
import type { UserServices } from '../client/parse-user-services.js';
import { RowFailure } from '../client/row-failure.js';
import { namesOf } from '../operations/coerce-value.js';
import { compareNames, nameFields } from '../operations/service-names.js';
import { assignmentStep, fieldsOfStep } from '../operations/steps-operation.js';
import type { Fields, NameList, OperationDef } from '../operations/types.js';
import { formatGroupTarget, type GroupTarget } from '../settings/group-target.js';
import { statesOf, type AssignmentRow, type PreparedAssignment } from '../steps/assign-services.js';
import { countOf } from '../util/plural.js';
import type { CheckedInput, OpenedRows, RunNote } from './checked-input.js';
import { iterate } from '../util/iterate.js';

export type LicenceOptions = {
  /** The job's operation: user-services, or a job of steps with a user-services step (its `OPERATION.FIELD` columns). */
  op: OperationDef;
  /** Reads in flight at once; `auto` reads 4 at a time (the default --concurrency), as no adaptive limit exists yet. */
  concurrency: number | 'auto';
  /** Rows past a group's limit are skipped instead of the group's writes being refused. */
  allowPartial: boolean;
  /** The job's group (`--group`): every row's group. Otherwise each user's answer names it. */
  target?: GroupTarget;
  /** The rows to read and count (apply: the planned ones); the others pass through. @default every row */
  wanted?: (row: AssignmentRow) => boolean;
};

/**
 * The service assignment's input: the checked input, and once its rows are listed (after login, before any write)
 * the licence check. Every row's user is read (`GET /users/services`: its states and its group), then each group's
 * licences once (`GET /groups/services`); the assignments the job adds are compared with what each group has left
 * (`quantity` − `usage`; -1 = unlimited). A group that would run out has its rows refused (failed, NO_LICENCE) or,
 * with `allowPartial`, the rows past the limit skipped, in row order; a service the group is not authorised for
 * refuses every row that assigns it. The rows carry their read, which is their step's read: no second GET.
 */
export function withLicenceCheck<T extends AssignmentRow>(input: CheckedInput<T>, options: LicenceOptions): CheckedInput<T> {
  return {
    ...input,
    open: async (client, context) => {
      const opened = await input.open(client, context);
      const rows: T[] = [];
      for await (const row of opened.rows) rows.push(row);
      // Rows a resume keeps are not read again: what they assigned is in the groups' usage already.
      // A job of steps: only rows that set something in the user-services step (the others never run it).
      const step = assignmentStep(options.op) ?? options.op;
      const assigns = (row: T) => step === options.op || Object.keys(assignmentFields(options.op, step)(row)).length > 0;
      const checked = rows.filter((row) => (options.wanted?.(row) ?? true) && assigns(row) && !context?.kept?.(row));
      if (checked.length) context?.say?.(`licences: reading the services of ${countOf(checked.length, 'user')} and their groups' licences before any write`);
      const { warnings, assigning } = await checkLicences(checked, client, options);
      const notes: RunNote[] = warnings.length || !assigning ? [] : [{ level: 'info', text: `licences: enough in every group for the assignments of ${countOf(assigning, 'row')}` }];
      for (const text of warnings) notes.push({ level: 'warn', text });
      return { ...opened, rows: iterate(rows), count: rows.length, notes: [...(opened.notes ?? []), ...notes] } satisfies OpenedRows<T>;
    },
  };
}

/** A row's fields as the assignment step names them (a job of steps: its `user-services.FIELD` columns). */
function assignmentFields(job: OperationDef, step: OperationDef): (row: AssignmentRow) => Fields {
  return step === job ? (row) => row.fields : (row) => fieldsOfStep(step, row.fields);
}

/** A name a row assigns: `listed` when the user's list has it (not assigned yet: it takes a licence), otherwise only its authorisation is checked. */
type Need = { list: NameList; name: string; listed: boolean };
type GroupWork = {
  label: string;
  rows: AssignmentRow[];
  licences?: GroupServices;
  failure?: string;
  /** Why every row of the group that assigns is refused (its licences would run out, or cannot be read). */
  refused?: string;
};

/** Reads every row's user and every group's licences, sets each row's `prepared`; returns the lines for the operator and how many rows assign. */
async function checkLicences(rows: AssignmentRow[], client: OdinClient, options: LicenceOptions): Promise<{ warnings: string[]; assigning: number }> {
  const op = assignmentStep(options.op) ?? options.op;
  const fieldsOf = assignmentFields(options.op, op);
  const limit = pLimit(options.concurrency === 'auto' ? 4 : Math.max(1, options.concurrency));
  await Promise.all(rows.map((row) => limit(async () => (row.prepared = { read: await readUser(client, row.key.userId!, (services) => keepNamed(op, fieldsOf(row), services)) }))));

  const groups = new Map<string, GroupWork>();
  const needs = new Map<AssignmentRow, Need[]>();
  const unknownGroup: AssignmentRow[] = [];
  // A job of steps: rows with nothing to assign, by group; a group refused is refused whole (no step of its rows is written).
  const idle = new Map<string, AssignmentRow[]>();
  const steps = op !== options.op;
  for (const row of rows) {
    const read = row.prepared!.read;
    if ('failure' in read) continue; // the row fails with it, as a failed GET would
    const wanted = neededBy(op, fieldsOf(row), read.services);
    const rowGroup = options.target ?? read.services.group;
    if (!wanted.length) {
      if (steps && rowGroup) idle.set(formatGroupTarget(rowGroup), [...(idle.get(formatGroupTarget(rowGroup)) ?? []), row]);
      continue;
    }
    needs.set(row, wanted);
    const group = options.target ?? read.services.group;
    if (!group) {
      unknownGroup.push(row);
      continue;
    }
    const label = formatGroupTarget(group);
    const work = groups.get(label) ?? { label, rows: [] };
    work.rows.push(row);
    groups.set(label, work);
  }
  await Promise.all([...groups.values()].map((g) => limit(() => readGroup(client, g, options.target ?? groupOf(g.rows[0]!)))));

  const notes: string[] = [];
  for (const row of unknownGroup) {
    refuse(row, "not written: GET /users/services did not name the user's group (serviceProviderId, groupId), so its licences cannot be checked");
  }
  if (unknownGroup.length) notes.push(`licences: ${countOf(unknownGroup.length, 'row')} not written: the user's services answer names no group, so its licences cannot be checked`);
  for (const group of groups.values()) {
    notes.push(...settleGroup(group, needs, options.allowPartial));
    const others = group.refused ? idle.get(group.label) ?? [] : [];
    for (const row of others) refuse(row, group.refused!);
    if (others.length) notes.push(`licences: group ${group.label}: its other ${countOf(others.length, 'row')} (nothing to assign) are not written either: the job's steps are written to all of a group or to none of it`);
  }
  return { warnings: notes, assigning: [...needs.values()].filter((n) => n.some((x) => x.listed)).length };
}

async function readUser(client: OdinClient, userId: string, keep: (s: UserServices) => UserServices): Promise<PreparedAssignment['read']> {
  const track: RequestTracker = { requests: 0, retries: 0 };
  try {
    return { services: keep(await client.readUserServices(userId, track)), requests: track.requests };
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    return { failure: error, requests: track.requests };
  }
}

/**
 * The part of a user's answer the row needs until its step: the names it gives, and the group. Every row is read
 * before the first one runs, so a list of a few dozen names per user would add up; a list missing a name the row
 * gives is kept whole, for the "did you mean" of its step.
 */
function keepNamed(op: OperationDef, fields: Fields, services: UserServices): UserServices {
  const named = { services: new Set<string>(), packs: new Set<string>() };
  for (const [field, spec] of nameFields(op)) for (const n of namesOf(fields[field])) named[spec.list].add(n);
  const cut = (list: UserServices['packs'], names: Set<string>): UserServices['packs'] => {
    const all = new Set([...list.assigned, ...list.notAssigned]);
    if ([...names].some((n) => !all.has(n))) return list;
    return { assigned: list.assigned.filter((n) => names.has(n)), notAssigned: list.notAssigned.filter((n) => names.has(n)) };
  };
  return { ...services, ...cut(services, named.services), packs: cut(services.packs, named.packs) };
}

function groupOf(row: AssignmentRow): GroupTarget {
  const read = row.prepared!.read;
  return (read as { services: UserServices }).services.group!;
}

async function readGroup(client: OdinClient, work: GroupWork, group: GroupTarget): Promise<void> {
  try {
    work.licences = await client.readGroupServices(group, { requests: 0, retries: 0 });
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    work.failure = error.message;
  }
}

/**
 * The names a row would newly assign: those the user's list has, not assigned yet (each takes a licence), and those
 * the list lacks (maybe a service the group is not authorised for: named as such, not as an unknown name).
 */
function neededBy(op: OperationDef, fields: Fields, services: UserServices): Need[] {
  const held = statesOf(services);
  const compared = compareNames(op, fields, held);
  const out: Need[] = [];
  for (const list of ['services', 'packs'] as const) {
    for (const c of compared.changes[list]) if (c.assigned) out.push({ list, name: c.name, listed: true });
  }
  const assigning = new Map(nameFields(op).filter(([, spec]) => spec.assigned));
  for (const u of compared.unknown) {
    const spec = assigning.get(u.field);
    if (spec) out.push({ list: spec.list, name: u.name, listed: false });
  }
  return out;
}

function refuse(row: AssignmentRow, why: string, names?: string[]): void {
  row.prepared!.licence = { refused: why, ...(names ? { names } : {}) };
}

const what = (n: Need) => (n.list === 'packs' ? `service pack ${n.name}` : n.name);

/** The verdict for one group's rows, and the lines that say it. */
function settleGroup(group: GroupWork, needs: Map<AssignmentRow, Need[]>, allowPartial: boolean): string[] {
  const { label, licences } = group;
  if (!licences) {
    group.refused = `not written: the licences of group ${label} cannot be read (${group.failure}), so they cannot be checked`;
    for (const row of group.rows) refuse(row, group.refused);
    return [`licences: cannot read the licences of group ${label} (${group.failure}): not written: its ${countOf(group.rows.length, 'row')} assigning services`];
  }
  const notes: string[] = [];
  const licenceOf = (n: Need): GroupLicence | undefined => (n.list === 'packs' ? licences.packs : licences.services).get(n.name);
  const key = (n: Need) => `${n.list}\n${n.name}`;

  // Not authorised, or (for a name the user's list has) not in the group's list at all: a problem for every row asking for it.
  const unauthorised = new Map<string, number>();
  for (const row of group.rows) {
    const refused = needs.get(row)!.filter((n) => {
      const licence = licenceOf(n);
      return licence ? !licence.authorized : n.listed;
    });
    for (const n of refused) unauthorised.set(what(n), (unauthorised.get(what(n)) ?? 0) + 1);
    if (refused.length) refuse(row, `not written: group ${label} is not authorised for ${refused.map(what).join(', ')}`, refused.map((n) => n.name));
  }
  for (const [name, count] of unauthorised) notes.push(`licences: group ${label} is not authorised for ${name}: not written: ${countOf(count, 'row')} assigning it`);

  // What each service has left, and what the rows still to settle would take of it.
  const rows = group.rows.filter((r) => !r.prepared!.licence);
  const left = new Map<string, number>();
  const asked = new Map<string, { need: Need; count: number }>();
  for (const row of rows) {
    for (const n of needs.get(row)!) {
      const licence = licenceOf(n);
      if (!licence || !n.listed) continue; // not the user's: the row fails with "did you mean" at its step
      left.set(key(n), licence.quantity < 0 ? Infinity : Math.max(0, licence.quantity - licence.usage));
      const a = asked.get(key(n)) ?? { need: n, count: 0 };
      a.count++;
      asked.set(key(n), a);
    }
  }
  const short = [...asked.entries()].filter(([k, a]) => a.count > left.get(k)!);
  if (!short.length) return notes;
  const shortText = short
    .map(([k, a]) => {
      const l = licenceOf(a.need)!;
      return `${what(a.need)}: ${a.count} to assign, ${left.get(k)} left (${l.usage} of ${l.quantity} in use)`;
    })
    .join('; ');
  if (!allowPartial) {
    group.refused = `not written: group ${label} would run out of licences (${shortText}); nothing is written in this group (--allow-partial writes up to the limit and skips the rest)`;
    for (const row of rows) refuse(row, group.refused);
    notes.push(`licences: group ${label} would run out: ${shortText}. Not written: its ${countOf(rows.length, 'row')} assigning services (--allow-partial writes up to the limit and skips the rest)`);
    return notes;
  }
  let skipped = 0;
  for (const row of rows) {
    const wanted = needs.get(row)!.filter((n) => left.has(key(n)));
    const lacking = wanted.filter((n) => left.get(key(n))! < 1);
    if (lacking.length) {
      row.prepared!.licence = { skipped: `no licence left: ${lacking.map(what).join(', ')} (group ${label}, --allow-partial)` };
      skipped++;
      continue;
    }
    for (const n of wanted) left.set(key(n), left.get(key(n))! - 1);
  }
  notes.push(`licences: group ${label} would run out: ${shortText}. --allow-partial: ${countOf(skipped, 'row')} past the limit are skipped ("no licence left")`);
  return notes;
}
