import { beforeAll, describe, expect, it } from '@jest/globals';
import { checkRow } from '../../../src/manifest/check-row.js';
import { SETTINGS_OPERATIONS as OPERATIONS } from '../../../src/operations/registry.js';
import type { FieldSpec, OperationDef } from '../../../src/operations/types.js';
import { BROADWORKS_ENDPOINTS, type SimEndpoint, type SimField } from '../../../src/simulator/simulator.js';
import { call, login, simulators, withSimulator } from '../../kit/index.js';

/**
 * Two tables of the BroadWorks rules, written apart: the tool's (src/operations/, what the manifest validator
 * checks) and the simulator's (src/simulator/broadworks-rules.ts, what its PUT checks). These tests make them
 * agree field by field, so a wrong range, enum, length or nullability in either shows up here.
 */
const endpointOf = (op: OperationDef): SimEndpoint => {
  const found = BROADWORKS_ENDPOINTS.find((e) => e.path === op.path);
  if (!found) throw new Error(`the simulator serves no ${op.path}`);
  return found;
};

describe('the two tables list the same endpoints and fields', () => {
  it('every operation has its endpoint, and no endpoint is left over', () => {
    expect(BROADWORKS_ENDPOINTS.map((e) => e.path).sort()).toEqual(OPERATIONS.map((o) => o.path).sort());
  });

  it.each(OPERATIONS.map((o) => [o.name, o] as const))('%s: same fields, scope, service, nullability and release', (_n, op) => {
    const ep = endpointOf(op);
    expect(ep.name).toBe(op.name);
    expect(Object.keys(ep.fields).sort()).toEqual(Object.keys(op.fields).sort());
    expect(ep.scope === 'user' ? ['userId'] : ['serviceProviderId', 'groupId']).toEqual(op.keyFields);
    expect(ep.service).toBe(op.service);
    for (const [name, spec] of Object.entries(op.fields)) {
      const field = ep.fields[name]!;
      expect({ name, nullable: field.type === 'text' && field.nullable === true }).toEqual({ name, nullable: spec.kind === 'string' && spec.nullable === true });
      expect({ name, release: field.since === undefined ? undefined : `R${field.since}` }).toEqual({ name, release: spec.release });
    }
  });
});

/** Values at and around every boundary either table draws, so a boundary only one of them has is tried. */
function candidates(spec: FieldSpec, field: SimField): unknown[] {
  const values: unknown[] = [null];
  if (spec.kind === 'boolean' || field.type === 'bool') values.push(true, false, 'true', 'yes', 1);
  if (spec.kind === 'integer' || field.type === 'int') {
    for (const [min, max, not] of [
      spec.kind === 'integer' ? [spec.min, spec.max, spec.exclude ?? []] : undefined,
      field.type === 'int' ? [field.min, field.max, field.not ?? []] : undefined,
    ].filter((r): r is [number, number, readonly number[]] => r !== undefined)) {
      values.push(min - 1, min, min + 1, max - 1, max, max + 1, ...not, ...not.map((n) => n - 1), ...not.map((n) => n + 1));
    }
    values.push(2.5, 'abc', String(spec.kind === 'integer' ? spec.max : 1));
  }
  if (spec.kind === 'enum' || field.type === 'enum') {
    const all = [...(spec.kind === 'enum' ? spec.values : []), ...(field.type === 'enum' ? field.values : [])];
    values.push(...all, all[0]!.toLowerCase(), `${all[0]} `, '');
  }
  if (spec.kind === 'string' || field.type === 'text') {
    const kind = field.type === 'text' ? field.kind : undefined;
    const text = (n: number) =>
      kind === 'email' ? (n < 3 ? 'a'.repeat(n) : `${'a'.repeat(n - 2)}@b`) : kind ? '5'.repeat(n) : 'm'.repeat(n);
    for (const [min, max] of [
      spec.kind === 'string' ? [spec.minLength, spec.maxLength] : undefined,
      field.type === 'text' ? [field.min, field.max] : undefined,
    ].filter((r): r is [number, number] => r !== undefined)) {
      // An empty cell means "leave the field alone" in a manifest, so lengths start at 1.
      for (const n of [min - 1, min, min + 1, max - 1, max, max + 1, max + 50]) if (n >= 1) values.push(text(n));
    }
    if (kind) values.push('555 1234', 'abc def', 15551234567);
    if (kind === 'email') values.push('not-an-address', 'a@b', 'two@at@x');
    if (kind === 'dn-or-uri') values.push('sip:alice@example.test', '*86');
    values.push(1.5);
  }
  return values;
}

describe('boundary values: the manifest validator and the simulator PUT accept and refuse alike', () => {
  const sim = withSimulator({ users: 5, groupSize: 5 });
  const startOther = simulators();
  let token: string;
  beforeAll(async () => {
    token = await login(sim.url);
  });

  it.each(OPERATIONS.map((o) => [o.name, o] as const))('%s', async (_n, op) => {
    const ep = endpointOf(op);
    const key: Record<string, string> = op.keyFields.includes('userId') ? { userId: 'user00001@sim.odin.test' } : { serviceProviderId: 'sim-sp', groupId: 'grp-01' };
    const disagreements: string[] = [];
    let tried = 0;
    for (const [name, spec] of Object.entries(op.fields)) {
      for (const value of candidates(spec, ep.fields[name]!)) {
        tried++;
        const tool = checkRow({ line: 2, cells: { ...key, [name]: value } }, op, {}, 'm.json');
        const res = await call(sim.url, 'PUT', op.path, { token, body: { ...key, [name]: value } });
        if (res.status !== 200 && res.status !== 400) throw new Error(`unexpected HTTP ${res.status} for ${name}=${JSON.stringify(value)}: ${res.text}`);
        const toolTakes = tool.row !== undefined;
        const simTakes = res.status === 200;
        if (toolTakes !== simTakes) {
          disagreements.push(`${name}=${JSON.stringify(value)}: tool ${toolTakes ? 'accepts' : `refuses (${tool.problems[0]?.message})`}, simulator ${simTakes ? 'accepts' : `refuses (${res.json.details})`}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(tried).toBeGreaterThan(Object.keys(op.fields).length * 3);
  });

  it('would catch a wrong range: a simulator rule off by one disagrees with the tool', async () => {
    const op = OPERATIONS.find((o) => o.name === 'user-call-forwarding-no-answer')!;
    const ep = endpointOf(op);
    const wrong: SimEndpoint = { ...ep, fields: { ...ep.fields, numberOfRings: { type: 'int', min: 0, max: 20, initial: 3 } } };
    const other = await startOther({ users: 2, endpoints: [wrong] });
    const t = await login(other.url);
    const res = await call(other.url, 'PUT', op.path, { token: t, body: { userId: 'user00001@sim.odin.test', numberOfRings: 1 } });
    const tool = checkRow({ line: 2, cells: { userId: 'user00001@sim.odin.test', numberOfRings: 1 } }, op, {}, 'm.json');
    expect({ simulator: res.status, tool: tool.row === undefined ? 'refused' : 'accepted' }).toEqual({ simulator: 200, tool: 'refused' });
  });
});
