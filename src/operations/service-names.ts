import { namesOf, suggest } from './coerce-value.js';
import { perFieldTable } from './field-lookup.js';
import type { FieldSpec, Fields, NameList, OperationDef } from './types.js';

/*
 * The service assignment's lists (`names` fields: assign, unassign, assignPacks, unassignPacks), pure: the checks
 * across a row's lists, the comparison with what the user holds, and the rollback. A field's before and after
 * values are the names of its list that were assigned at that time (`;`-joined, "" for none), so a report keeps one
 * value per field and a row's states can be read back from them.
 */

type NamesSpec = Extract<FieldSpec, { kind: 'names' }>;

/** The `names` fields of an operation, in its order (made once per table: this runs per row). */
export const nameFields = perFieldTable(
  (fields): ReadonlyArray<readonly [string, NamesSpec]> => Object.entries(fields).filter((e): e is [string, NamesSpec] => e[1].kind === 'names'),
);

/** What a user holds, per list: every name the user could have → assigned (GET /users/services). */
export type AssignedStates = Readonly<Record<NameList, ReadonlyMap<string, boolean>>>;

/** A change to send: a name of a list and the state it is to be put in. */
export type NameChange = { name: string; assigned: boolean };

export type NameComparison = {
  /** Per field the row sets: the names of its list that are assigned now. */
  before: Fields;
  /** The names the user's list does not hold, each with its field and message ("did you mean"). */
  unknown: Array<{ field: string; name: string; message: string }>;
  /** The names whose state differs, per list: what a PUT sends. */
  changes: Record<NameList, NameChange[]>;
  /** The fields with at least one change. */
  changed: string[];
};

/**
 * Names given in two fields of the same list (`assign` and `unassign` both naming Call Waiting): a problem for the
 * later field. Compared without case, as duplicates within a field are.
 */
export function nameListProblems(op: Pick<OperationDef, 'fields'>, fields: Fields): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const firstField = new Map<string, string>();
  for (const [field, spec] of nameFields(op)) {
    for (const name of namesOf(fields[field])) {
      const key = `${spec.list}\n${name.toLowerCase()}`;
      const other = firstField.get(key);
      if (other === undefined) firstField.set(key, field);
      else if (other !== field) problems.push({ field, message: `"${name}" is also in ${other}: a row cannot both ${verb(op, other)} and ${verb(op, field)} it` });
    }
  }
  return problems;
}

function verb(op: Pick<OperationDef, 'fields'>, field: string): string {
  const spec = op.fields[field] as NamesSpec;
  return spec.assigned ? 'assign' : 'unassign';
}

/** Compares the row's lists with what the user holds. Pure. */
export function compareNames(op: Pick<OperationDef, 'fields'>, fields: Fields, held: AssignedStates): NameComparison {
  const out: NameComparison = { before: {}, unknown: [], changes: { services: [], packs: [] }, changed: [] };
  for (const [field, spec] of nameFields(op)) {
    if (!Object.hasOwn(fields, field)) continue;
    const states = held[spec.list];
    const assigned: string[] = [];
    let changes = 0;
    for (const name of namesOf(fields[field])) {
      const state = states.get(name);
      if (state === undefined) {
        out.unknown.push({ field, name, message: unknownName(field, spec, name, [...states.keys()]) });
        continue;
      }
      if (state) assigned.push(name);
      if (state !== spec.assigned) {
        out.changes[spec.list].push({ name, assigned: spec.assigned });
        changes++;
      }
    }
    out.before[field] = assigned.join(';');
    if (changes) out.changed.push(field);
  }
  return out;
}

function unknownName(field: string, spec: NamesSpec, name: string, known: string[]): string {
  const what = spec.list === 'packs' ? 'service packs' : 'services';
  const hint = suggest(name, known);
  return `${field}: "${name}" is not among this user's ${what}${hint ? `: did you mean "${hint}"?` : ''} (names vary by system: GET /users/services lists them)`;
}

/** Per field the row sets: the names of its list that `held` has assigned (after values, read back). */
export function assignedNames(op: Pick<OperationDef, 'fields'>, fields: Fields, held: AssignedStates): Fields {
  const out: Fields = {};
  for (const [field, spec] of nameFields(op)) {
    if (Object.hasOwn(fields, field)) out[field] = namesOf(fields[field]).filter((n) => held[spec.list].get(n) === true).join(';');
  }
  return out;
}

/** The names of the fields `wanted` sets that `held` does not have in the wanted state: what a verify reports. */
export function namesNotAsAsked(op: Pick<OperationDef, 'fields'>, wanted: Fields, held: AssignedStates): string[] {
  const wrong: string[] = [];
  for (const [field, spec] of nameFields(op)) {
    for (const name of namesOf(wanted[field])) {
      const state = held[spec.list].get(name);
      if (state !== spec.assigned) wrong.push(`${name} is ${state === undefined ? 'not listed' : state ? 'assigned' : 'not assigned'}, expected ${spec.assigned ? 'assigned' : 'not assigned'}`);
    }
  }
  return wrong;
}

/** The names a row's write flips, per field it changed: assigned ones that were not, unassigned ones that were. */
export function flippedNames(op: Pick<OperationDef, 'fields'>, requested: Fields, before: Fields, changed: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [field, spec] of nameFields(op)) {
    if (!changed.includes(field)) continue;
    const wasAssigned = new Set(namesOf(before[field]));
    out.set(field, namesOf(requested[field]).filter((n) => wasAssigned.has(n) !== spec.assigned));
  }
  return out;
}

/** The field that puts the same list in the other state (assign ↔ unassign). */
function inverseOf(op: Pick<OperationDef, 'fields'>, spec: NamesSpec): string | undefined {
  return nameFields(op).find(([, s]) => s.list === spec.list && s.assigned !== spec.assigned)?.[0];
}

/** The columns of rollback.csv for the fields a job uses: each with its inverse (assign brings unassign), in the operation's order. */
export function undoColumns(op: Pick<OperationDef, 'fields'>, fieldsUsed: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const [field, spec] of nameFields(op)) {
    if (!fieldsUsed.includes(field)) continue;
    wanted.add(field);
    const inverse = inverseOf(op, spec);
    if (inverse) wanted.add(inverse);
  }
  return Object.keys(op.fields).filter((f) => wanted.has(f));
}

/**
 * The rollback of a row: every name its write flipped, put back (what it assigned is unassigned and the other way
 * round), as field values of a manifest row.
 */
export function undoNames(op: Pick<OperationDef, 'fields'>, requested: Fields, before: Fields, changed: readonly string[]): Fields {
  const out: Record<string, string[]> = {};
  for (const [field, names] of flippedNames(op, requested, before, changed)) {
    const inverse = inverseOf(op, op.fields[field] as NamesSpec);
    if (inverse && names.length) (out[inverse] ??= []).push(...names);
  }
  return Object.fromEntries(Object.entries(out).map(([f, names]) => [f, names.join(';')]));
}
