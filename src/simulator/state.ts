import type { SimEndpoint, SimFields } from './broadworks-rules.js';
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

type EndpointState = { endpoint: SimEndpoint; targets: Map<string, SimFields> };

/** The fields that name a target of an endpoint: `userId`, or `serviceProviderId` + `groupId`. */
export function keyFieldsOf(endpoint: SimEndpoint): readonly string[] {
  return endpoint.scope === 'user' ? ['userId'] : ['serviceProviderId', 'groupId'];
}

/** The target key of an endpoint: the key field values joined by `/` (a userId, or `sp/group`). */
export function targetKey(endpoint: SimEndpoint, source: Record<string, unknown>): { key: string } | { missing: string[] } {
  const values: string[] = [];
  const missing: string[] = [];
  for (const field of keyFieldsOf(endpoint)) {
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
  private readonly byPath = new Map<string, EndpointState>();
  private readonly byName = new Map<string, EndpointState>();
  private readonly groupList: SimGroup[];
  private readonly groupIndex = new Map<string, number>();

  constructor(endpoints: readonly SimEndpoint[], seed: Required<SeedOptions>) {
    this.users = seed.users;
    this.groupSize = seed.groupSize;
    this.seed = seed.seed;
    for (const endpoint of endpoints) {
      const state = { endpoint, targets: new Map<string, SimFields>() };
      this.byPath.set(endpoint.path, state);
      this.byName.set(endpoint.name, state);
    }
    this.groupList = seededGroups(this.users, this.groupSize);
    this.groupList.forEach((g, i) => this.groupIndex.set(`${g.serviceProviderId}/${g.groupId}`, i + 1));
  }

  endpointByPath(path: string): SimEndpoint | undefined {
    return this.byPath.get(path)?.endpoint;
  }

  endpointByName(name: string): SimEndpoint | undefined {
    return this.byName.get(name)?.endpoint;
  }

  endpoints(): SimEndpoint[] {
    return [...this.byName.values()].map((s) => s.endpoint);
  }

  /** The live state of a target (do not hand it out), or undefined when the target does not exist. */
  fields(endpoint: SimEndpoint, key: string): SimFields | undefined {
    const state = this.byPath.get(endpoint.path);
    if (!state) return undefined;
    let fields = state.targets.get(key);
    if (!fields) {
      fields = this.seeded(endpoint, key);
      if (fields) state.targets.set(key, fields);
    }
    return fields;
  }

  /** Merges values into a target, creating it from the table's initial values when it does not exist. */
  set(name: string, key: string, values: SimFields): void {
    const state = this.byName.get(name);
    if (!state) throw new TypeError(`Unknown operation \`${name}\``);
    const current = this.fields(state.endpoint, key);
    if (current) Object.assign(current, values);
    else state.targets.set(key, { ...seededGroupFields(state.endpoint), ...values });
  }

  /** Sets a target back to the table's initial values (BroadWorks defaults): a service just assigned starts there. */
  reset(endpoint: SimEndpoint, key: string): void {
    this.byPath.get(endpoint.path)?.targets.set(key, seededGroupFields(endpoint));
  }

  /** Forgets a target's values: the service was unassigned, its settings are gone. */
  drop(endpoint: SimEndpoint, key: string): void {
    this.byPath.get(endpoint.path)?.targets.delete(key);
  }

  /** The 1-based index of a seeded user id, or undefined. */
  userIndex(userId: string): number | undefined {
    return simUserIndex(userId, this.users);
  }

  /** The 1-based index of a seeded user's group. */
  groupOfUser(userIndex: number): number {
    return Math.floor((userIndex - 1) / this.groupSize) + 1;
  }

  /** `sim-sp/grp-01` for group 1. */
  groupKey(groupIndex: number): string {
    const g = this.groupList[groupIndex - 1];
    return g ? `${g.serviceProviderId}/${g.groupId}` : '';
  }

  /** The first and last (1-based) user index of a group; first > last for an unknown group. */
  usersOfGroup(groupIndex: number): [number, number] {
    return this.userRange(groupIndex);
  }

  /** A seeded user's profile. */
  user(userIndex: number): SimUser {
    return seededUser(userIndex, { users: this.users, groupSize: this.groupSize, seed: this.seed });
  }

  notFoundMessage(endpoint: SimEndpoint, key: string): string {
    return endpoint.scope === 'user' ? `User not found: ${key}` : `Group not found: ${key}`;
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

  private seeded(endpoint: SimEndpoint, key: string): SimFields | undefined {
    if (endpoint.scope === 'user') {
      const index = simUserIndex(key, this.users);
      return index === undefined ? undefined : seededUserFields(endpoint, index, this.seed);
    }
    return this.groupIndex.has(key) ? seededGroupFields(endpoint) : undefined;
  }
}
