import { BROADWORKS_ENDPOINTS, type SimEndpoint, type SimField, type SimFields, type SimValue } from './broadworks-rules.js';
import { hashString, mix } from './prng.js';
import type { SimGroup, SimUser } from './types.js';

export const SIM_SERVICE_PROVIDER = 'sim-sp';
export const SIM_DOMAIN = 'sim.odin.test';
export const DEFAULT_SEED = 1;

export type SeedOptions = {
  /** @default 100 */
  users?: number;
  /** @default 50 */
  groupSize?: number;
  /** @default 1 */
  seed?: number;
};

/** `user00001@sim.odin.test` for index 1 (1-based). */
export function simUserId(index: number): string {
  return `user${String(index).padStart(5, '0')}@${SIM_DOMAIN}`;
}

/** The 1-based index of a seeded user id, or undefined when it is not one (or is out of range). */
export function simUserIndex(userId: string, users: number): number | undefined {
  const match = /^user(\d{5,})@sim\.odin\.test$/.exec(userId);
  if (!match) return undefined;
  const index = Number(match[1]);
  return index >= 1 && index <= users && simUserId(index) === userId ? index : undefined;
}

export function groupCount(users: number, groupSize: number): number {
  return Math.ceil(users / groupSize);
}

/** `grp-01` for group 1; padded to at least two digits, more when there are 100+ groups. */
export function simGroupId(groupIndex: number, groups: number): string {
  return `grp-${String(groupIndex).padStart(Math.max(2, String(groups).length), '0')}`;
}

/** Every seeded group with its size. */
export function seededGroups(users: number, groupSize: number): SimGroup[] {
  const count = groupCount(users, groupSize);
  return Array.from({ length: count }, (_, i) => ({
    serviceProviderId: SIM_SERVICE_PROVIDER,
    groupId: simGroupId(i + 1, count),
    userCount: Math.min(groupSize, users - i * groupSize),
  }));
}

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Ema', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jon', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya'];
const LAST_NAMES = ['Adams', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jones', 'Khan', 'Lopez', 'Murphy', 'Novak', 'Okafor', 'Patel', 'Quinn'];

/** A seeded user's profile, as `GET /users?serviceProviderId=&groupId=` lists it. Pure. */
export function seededUser(index: number, options: SeedOptions = {}): SimUser {
  const { users = 100, groupSize = 50, seed = DEFAULT_SEED } = options;
  const groupIndex = Math.floor((index - 1) / groupSize) + 1;
  const position = (index - 1) % groupSize;
  const h = mix(seed, index, 0x5eed);
  return {
    userId: simUserId(index),
    firstName: FIRST_NAMES[h % FIRST_NAMES.length]!,
    lastName: LAST_NAMES[(h >>> 8) % LAST_NAMES.length]!,
    serviceProviderId: SIM_SERVICE_PROVIDER,
    groupId: simGroupId(groupIndex, groupCount(users, groupSize)),
    extension: String(1000 + position),
    phoneNumber: `+1555${String(index).padStart(7, '0')}`,
  };
}

/**
 * A seeded user's initial fields for a user endpoint: the table's initial values, varied by user index and seed
 * (some booleans flipped, some enums and integers changed within their range, a few texts set). Pure.
 */
export function seededUserFields(endpoint: SimEndpoint | string, userIndex: number, seed: number = DEFAULT_SEED): SimFields {
  const ep = endpointOf(endpoint);
  const fields: SimFields = {};
  for (const [name, field] of Object.entries(ep.fields)) {
    const h = mix(seed, userIndex, hashString(`${ep.name}.${name}`));
    fields[name] = vary(field, field.initial, h, mix(h, 0xa5a5a5a5));
  }
  return fields;
}

/** A seeded group's initial fields for a group endpoint: the table's initial values. Pure. */
export function seededGroupFields(endpoint: SimEndpoint | string): SimFields {
  const ep = endpointOf(endpoint);
  const fields: SimFields = {};
  for (const [name, field] of Object.entries(ep.fields)) fields[name] = field.initial;
  return fields;
}

function endpointOf(endpoint: SimEndpoint | string): SimEndpoint {
  if (typeof endpoint !== 'string') return endpoint;
  const found = BROADWORKS_ENDPOINTS.find((e) => e.name === endpoint);
  if (!found) throw new TypeError(`Unknown endpoint \`${endpoint}\``);
  return found;
}

/** `h` decides whether to vary (about a third of fields), `v` picks the new value. */
function vary(field: SimField, base: SimValue, h: number, v: number): SimValue {
  const chance = h / 4294967296;
  switch (field.type) {
    case 'bool':
      return chance < 0.3 ? !(base === true) : base;
    case 'enum':
      return chance < 0.4 ? field.values[v % field.values.length]! : base;
    case 'int': {
      if (chance >= 0.4) return base;
      const start = typeof base === 'number' ? base : field.min;
      const spread = Math.max(3, Math.round(Math.abs(start) / 2));
      let value = Math.min(field.max, Math.max(field.min, start + (v % (2 * spread + 1)) - spread));
      while (field.not?.includes(value)) value = value < field.max ? value + 1 : value - 1;
      return value;
    }
    case 'text': {
      if (chance >= 0.2) return base;
      // Half the numbers are extensions (all digits: Odin answers them as JSON numbers), half E.164.
      if (field.kind === 'dn' || field.kind === 'dn-or-uri') return v % 2 ? String(2000 + (v % 8000)) : `+1555${String(v % 10_000_000).padStart(7, '0')}`;
      if (field.kind === 'email') return `sim${v % 1000}@${SIM_DOMAIN}`;
      const text = `sim${v % 1000}`.slice(0, field.max);
      return text.padEnd(field.min, 'x');
    }
  }
}
