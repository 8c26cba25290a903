import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { checkRow } from '../../../src/manifest/check-row.js';
import { SETTINGS_OPERATIONS as OPERATIONS } from '../../../src/operations/registry.js';
import type { Fields } from '../../../src/operations/types.js';
import { CASES } from './cases.js';
import { call, login, readCsvRecords, readJson, runAgainst, tempDir, withSimulator, writeFiles } from '../../kit/index.js';

/** A CSV manifest as an operator would type it: header, one row, raw values. */
function manifest(keys: Record<string, string>, fields: Fields): string {
  const names = [...Object.keys(keys), ...Object.keys(fields)];
  const values = [...Object.values(keys), ...Object.values(fields).map((v) => String(v))];
  return `${names.join(',')}\n${values.join(',')}\n`;
}

describe('every operation against the simulator: GET, diff, PUT, before/after, rollback', () => {
  const sim = withSimulator({ users: 60, groupSize: 25, seed: 11 });

  it('covers every shipped operation', () => {
    expect(CASES.map((c) => c.op.name).sort()).toEqual(OPERATIONS.map((o) => o.name).sort());
  });

  it.each(CASES.map((c) => [c.op.name, c] as const))('%s', async (_name, c) => {
    const { op, key, set } = c;
    const id = op.keyFields.map((k) => key[k]).join('/');
    sim.setFields(op.name, id, { ...op.example });
    const start = sim.getFields(op.name, id)!;
    for (const [f, v] of Object.entries(set)) expect(start[f]).not.toEqual(v); // every value is a real change
    const dir = await tempDir();
    const file = await writeFiles(dir, { 'change.csv': manifest(key, set) });
    sim.clearRequests();

    const first = await runAgainst(sim, { manifest: file, operation: op.name, out: join(dir, 'run1') });
    expect(first.summary).toMatchObject({ total: 1, updated: 1, failed: 0, exitCode: 0 });
    // GET with the key in the query, then one PUT with the key and only the changed fields.
    const sent = sim.requests.filter((r) => r.path === op.path);
    expect(sent.map((r) => [r.method, r.status])).toEqual([['GET', 200], ['PUT', 200]]);
    expect(sent[0]!.query).toEqual(key);
    expect(sent[1]!.body).toEqual({ ...key, ...set });
    expect(sim.getFields(op.name, id)).toEqual({ ...start, ...set });

    const [result] = await readJson<Record<string, unknown>[]>(join(dir, 'run1', 'results.json'));
    const picked = Object.fromEntries(Object.keys(set).map((f) => [f, start[f]]));
    expect(result).toMatchObject({ line: 2, ...key, status: 'updated', requested: set, before: picked, after: set });
    expect(result!.changed).toEqual(Object.keys(set));
    const [csvRow] = await readCsvRecords(join(dir, 'run1', 'results.csv'));
    for (const k of op.keyFields) expect(csvRow![k]).toBe(key[k]);
    const runInfo = await readJson<Record<string, unknown>>(join(dir, 'run1', 'run.json'));
    expect(runInfo).toMatchObject({ operation: op.name, keyFields: op.keyFields, manifest: file });

    // The same manifest again: the diff finds nothing, so nothing is written.
    sim.clearRequests();
    const again = await runAgainst(sim, { manifest: file, operation: op.name, out: join(dir, 'run2') });
    expect(again.summary).toMatchObject({ total: 1, unchanged: 1, updated: 0 });
    expect(sim.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    // rollback.csv, run as a manifest, restores every changed field, nulls included.
    const rollback = await runAgainst(sim, { manifest: join(dir, 'run1', 'rollback.csv'), operation: op.name, out: join(dir, 'undo') });
    expect(rollback.summary).toMatchObject({ total: 1, updated: 1, failed: 0 });
    expect(sim.getFields(op.name, id)).toEqual(start);
  });
});

// The simulator checks with its own table of BroadWorks rules, in its own words; that both agree on every field's
// boundaries is test/contract/rules-agree.test.ts. Here: one realistic refusal per operation, end to end.
describe('every operation validates like the API: the tool and the simulator refuse the same value', () => {
  const sim = withSimulator({ users: 20, groupSize: 10 });
  let token: string;
  beforeAll(async () => {
    token = await login(sim.url);
  });

  it.each(CASES.map((c) => [c.op.name, c] as const))('%s', async (_name, { op, key, bad }) => {
    const id = op.keyFields.map((k) => key[k]).join('/');
    const before = sim.getFields(op.name, id);
    const res = await call(sim.url, 'PUT', op.path, { token, body: { ...key, [bad.field]: bad.value } });
    expect(res.status).toBe(400);
    expect(res.json.details).toMatch(new RegExp(`^Invalid value for ${bad.field}: `));
    expect(sim.getFields(op.name, id)).toEqual(before);

    const checked = checkRow({ line: 2, cells: { ...key, [bad.field]: bad.value } }, op, {}, 'm.json');
    expect(checked.row).toBeUndefined();
    expect(checked.problems).toEqual([{ file: 'm.json', line: 2, field: bad.field, message: expect.stringMatching(bad.reason) }]);
  });

  it('serves the group policy by serviceProviderId and groupId, 404 for an unknown group', async () => {
    const query = { serviceProviderId: 'sim-sp', groupId: 'grp-01' };
    const got = await call(sim.url, 'GET', '/groups/call-processing-policy', { token, query });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ ...query, groupCallsCLIDPolicy: 'Use Extension', useGroupCLIDSetting: false });
    const unknown = await call(sim.url, 'GET', '/groups/call-processing-policy', { token, query: { ...query, groupId: 'grp-99' } });
    expect(unknown.json).toEqual({ status: 404, error: 'Not Found', details: 'Group not found: sim-sp/grp-99' });
  });
});
