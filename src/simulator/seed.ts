import type { FieldSpec, FieldValue, Fields, OperationDef } from '../operations/types.js';
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
 * A seeded user's initial fields for a user-scope operation: the op's `example`, varied by user index and seed
 * (some booleans flipped, some enums and integers changed within their range, a few strings set). Pure.
 */
export function seededUserFields(op: OperationDef, userIndex: number, seed: number = DEFAULT_SEED): Fields {
  const fields: Fields = {};
  for (const [name, spec] of Object.entries(op.fields)) {
    const base = Object.hasOwn(op.example, name) ? op.example[name]! : defaultFor(spec);
    const h = mix(seed, userIndex, hashString(`${op.name}.${name}`));
    fields[name] = vary(spec, base, h, mix(h, 0xa5a5a5a5));
  }
  return fields;
}

/** A seeded group's initial fields for a group-scope operation: the op's `example`. Pure. */
export function seededGroupFields(op: OperationDef): Fields {
  const fields: Fields = {};
  for (const [name, spec] of Object.entries(op.fields)) {
    fields[name] = Object.hasOwn(op.example, name) ? op.example[name]! : defaultFor(spec);
  }
  return fields;
}

/** `h` decides whether to vary (about a third of fields), `v` picks the new value. */
function vary(spec: FieldSpec, base: FieldValue, h: number, v: number): FieldValue {
  const chance = h / 4294967296;
  switch (spec.kind) {
    case 'boolean':
      return chance < 0.3 ? !(base === true) : base;
    case 'enum':
      return chance < 0.4 ? spec.values[v % spec.values.length]! : base;
    case 'integer': {
      if (chance >= 0.4) return base;
      const start = typeof base === 'number' ? base : spec.min;
      const spread = Math.max(3, Math.round(Math.abs(start) / 2));
      const value = start + (v % (2 * spread + 1)) - spread;
      return Math.min(spec.max, Math.max(spec.min, value));
    }
    case 'string': {
      if (chance >= 0.2) return base;
      if (spec.format === 'phone') return `+1555${String(v % 10_000_000).padStart(7, '0')}`;
      if (spec.format === 'email') return `sim${v % 1000}@${SIM_DOMAIN}`;
      const text = `sim${v % 1000}`.slice(0, spec.maxLength);
      return text.padEnd(spec.minLength, 'x');
    }
  }
}

function defaultFor(spec: FieldSpec): FieldValue {
  switch (spec.kind) {
    case 'boolean':
      return false;
    case 'integer':
      return spec.min;
    case 'enum':
      return spec.values[0]!;
    case 'string':
      if (spec.nullable) return null;
      if (spec.format === 'phone') return '+15550000000';
      if (spec.format === 'email') return `sim@${SIM_DOMAIN}`;
      return 'x'.repeat(Math.max(1, spec.minLength)).slice(0, spec.maxLength);
  }
}
