import type { Fields, OperationDef } from '../operations/types.js';
import {
  seededGroupFields,
  seededGroups,
  seededUser,
  seededUserFields,
  simUserId,
  simUserIndex,
  type SeedOptions,
} from './seed.js';
import type { SimGroup, SimUser } from './types.js';

type OpState = { op: OperationDef; targets: Map<string, Fields> };

const isUserScope = (op: OperationDef) => op.keyFields.length === 1 && op.keyFields[0] === 'userId';
const isGroupScope = (op: OperationDef) =>
  op.keyFields.length === 2 && op.keyFields[0] === 'serviceProviderId' && op.keyFields[1] === 'groupId';

/** The target key of an operation: the key field values joined by `/` (a userId, or `sp/group`). */
export function targetKey(op: OperationDef, source: Record<string, unknown>): { key: string } | { missing: string[] } {
  const values: string[] = [];
  const missing: string[] = [];
  for (const field of op.keyFields) {
    const value = source[field];
    if (typeof value === 'string' && value !== '') values.push(value);
    else missing.push(field);
  }
  return missing.length > 0 ? { missing } : { key: values.join('/') };
}

/** Simulated directory and per-operation state. Seeded targets are materialised on first touch. */
export class SimState {
  readonly users: number;
  readonly groupSize: number;
  readonly seed: number;
  private readonly byPath = new Map<string, OpState>();
  private readonly byName = new Map<string, OpState>();
  private readonly groupList: SimGroup[];
  private readonly groupIndex = new Map<string, number>();

  constructor(operations: readonly OperationDef[], seed: Required<SeedOptions>) {
    this.users = seed.users;
    this.groupSize = seed.groupSize;
    this.seed = seed.seed;
    for (const op of operations) {
      const state = { op, targets: new Map<string, Fields>() };
      this.byPath.set(op.path, state);
      this.byName.set(op.name, state);
    }
    this.groupList = seededGroups(this.users, this.groupSize);
    this.groupList.forEach((g, i) => this.groupIndex.set(`${g.serviceProviderId}/${g.groupId}`, i + 1));
  }

  opByPath(path: string): OperationDef | undefined {
    return this.byPath.get(path)?.op;
  }

  opByName(name: string): OperationDef | undefined {
    return this.byName.get(name)?.op;
  }

  /** The live state of a target (do not hand it out), or undefined when the target does not exist. */
  fields(op: OperationDef, key: string): Fields | undefined {
    const state = this.byPath.get(op.path);
    if (!state) return undefined;
    let fields = state.targets.get(key);
    if (!fields) {
      fields = this.seeded(op, key);
      if (fields) state.targets.set(key, fields);
    }
    return fields;
  }

  /** Merges values into a target, creating it from the op's example when it does not exist. */
  set(opName: string, key: string, values: Fields): void {
    const state = this.byName.get(opName);
    if (!state) throw new TypeError(`Unknown operation \`${opName}\``);
    const current = this.fields(state.op, key);
    if (current) Object.assign(current, values);
    else state.targets.set(key, { ...seededGroupFields(state.op), ...values });
  }

  notFoundMessage(op: OperationDef, key: string): string {
    if (op.keyFields.includes('userId')) return `User not found: ${key}`;
    if (op.keyFields.includes('groupId')) return `Group not found: ${key}`;
    return `Not found: ${key}`;
  }

  groups(): SimGroup[] {
    return this.groupList.map((g) => ({ ...g }));
  }

  /** The 1-based index of a group (`sp/group`, or a bare groupId of the seeded provider). */
  findGroup(filter: string): number | undefined {
    return this.groupIndex.get(filter) ?? this.groupIndex.get(`${this.groupList[0]?.serviceProviderId}/${filter}`);
  }

  userIds(groupFilter?: string): string[] {
    const [first, last] = this.userRange(groupFilter);
    const ids: string[] = [];
    for (let i = first; i <= last; i++) ids.push(simUserId(i));
    return ids;
  }

  groupUsers(groupIndex: number): SimUser[] {
    const [first, last] = this.userRange(groupIndex);
    const list: SimUser[] = [];
    const options = { users: this.users, groupSize: this.groupSize, seed: this.seed };
    for (let i = first; i <= last; i++) list.push(seededUser(i, options));
    return list;
  }

  private userRange(group?: string | number): [number, number] {
    if (group === undefined) return [1, this.users];
    const index = typeof group === 'number' ? group : this.findGroup(group);
    if (index === undefined) return [1, 0];
    return [(index - 1) * this.groupSize + 1, Math.min(this.users, index * this.groupSize)];
  }

  private seeded(op: OperationDef, key: string): Fields | undefined {
    if (isUserScope(op)) {
      const index = simUserIndex(key, this.users);
      return index === undefined ? undefined : seededUserFields(op, index, this.seed);
    }
    if (isGroupScope(op)) return this.groupIndex.has(key) ? seededGroupFields(op) : undefined;
    return undefined;
  }
}
