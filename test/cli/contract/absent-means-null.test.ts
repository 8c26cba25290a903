import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { call, libraryRun, login, readCsvRecords, readJson, runCli, tempDir, withSimulator, writeFiles } from '../../kit/index.js';

/**
 * Issue 10's clearing job, and the other paths where "no value" travels, through the built binary against the
 * simulator in its default dialect: Odin's, where an unset value is left out of the answer. The oracle is the
 * simulator's state and its raw answers, never the tool's reports alone.
 */
const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const CFA = 'user-call-forwarding-always';
const CFA_PATH = '/users/call-forwarding-always';
type Result = { userId: string; status: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; error: string | null };

const sim = withSimulator({ users: 20 }, { each: true });
let dir: string;
let token: string;
beforeEach(async () => {
  token = await login(sim.url);
  dir = await tempDir();
});
afterEach(async () => {
});

const rawGet = async (userId: string) => (await call(sim.url, 'GET', CFA_PATH, { token, query: { userId } })).json as Record<string, unknown>;
/** The built binary in the test's folder, against the simulator, uncapped. */
const run = (args: string[]) => runCli([...args, '--rate', '0'], { cwd: dir, sim });
/**
 * A run of a file a spawned command wrote (a rollback.csv, an export), in this process: what is checked is that
 * file, read back by the run and judged by the simulator's state; the spawned runs here already take null cells
 * through the built binary.
 */
const runFile = (manifest: string, out: string) => libraryRun(sim, { operation: CFA, manifest: join(dir, manifest), out: join(dir, out) });

describe("the clearing job of issue 10: 12 rows isActive=false, forwardToPhoneNumber=null, 4 of them with a number today", () => {
  const WITH_NUMBER: Record<string, string> = { [u(2)]: '4500', [u(5)]: '+15551230005', [u(9)]: '2001', [u(12)]: 'sip:desk@example.test' };

  it('PUTs only the 4 users with a number, 0 failed, exit 0; its rollback.csv puts every number back exactly', async () => {
    const original: Record<string, Record<string, unknown>> = {};
    for (let i = 1; i <= 12; i++) {
      const number = WITH_NUMBER[u(i)];
      sim.setFields(CFA, u(i), { isActive: number !== undefined, forwardToPhoneNumber: number ?? null, isRingSplashActive: false });
      original[u(i)] = sim.getFields(CFA, u(i))!;
    }
    // Odin's shape, as the tool will see it: no key when unset, a JSON number for digits.
    expect(await rawGet(u(1))).toEqual({ isActive: false, isRingSplashActive: false, userId: u(1) });
    expect((await rawGet(u(2))).forwardToPhoneNumber).toBe(4500);

    const rows = Array.from({ length: 12 }, (_, i) => `${u(i + 1)},false,null`);
    await writeFiles(dir, { 'clear.csv': ['userId,isActive,forwardToPhoneNumber', ...rows].join('\n') + '\n' });
    sim.clearRequests();
    const cleared = await run(['run', '--operation', CFA, '--manifest', 'clear.csv', '--out', 'clear', '--name', 'clear']);
    expect(cleared.stderr).not.toMatch(/failed/);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/12 rows: 4 updated, 8 unchanged/);
    const puts = sim.requests.filter((r) => r.method === 'PUT' && r.path === CFA_PATH);
    expect(puts.map((r) => r.key).sort()).toEqual(Object.keys(WITH_NUMBER).sort());
    for (const r of puts) expect(r.body).toEqual({ userId: r.key, isActive: false, forwardToPhoneNumber: null });
    for (let i = 1; i <= 12; i++) expect(await rawGet(u(i))).toEqual({ isActive: false, isRingSplashActive: false, userId: u(i) });

    const results = await readJson<Result[]>(join(dir, 'clear', 'results.json'));
    expect(results.find((r) => r.userId === u(1))).toMatchObject({ status: 'unchanged', before: { isActive: false, forwardToPhoneNumber: null } });
    expect(results.find((r) => r.userId === u(2))).toMatchObject({ status: 'updated', before: { isActive: true, forwardToPhoneNumber: '4500' }, after: { isActive: false, forwardToPhoneNumber: null } });
    const rollback = await readCsvRecords(join(dir, 'clear', 'rollback.csv'));
    expect(rollback).toEqual(Object.keys(WITH_NUMBER).sort().map((id) => ({ userId: id, isActive: 'true', forwardToPhoneNumber: WITH_NUMBER[id]!.startsWith('+') ? `'${WITH_NUMBER[id]}` : WITH_NUMBER[id] })));

    const undo = await runFile(join('clear', 'rollback.csv'), 'undo');
    expect(undo.exitCode).toBe(0);
    for (let i = 1; i <= 12; i++) expect(sim.getFields(CFA, u(i))).toEqual(original[u(i)]);
    expect((await rawGet(u(2))).forwardToPhoneNumber).toBe(4500);
    expect((await rawGet(u(5))).forwardToPhoneNumber).toBe('+15551230005');
  });
});

describe('restoring an unset value', () => {
  it('setting numbers where there were none: rollback.csv holds null cells, and running it clears them again', async () => {
    for (const i of [1, 2, 3]) sim.setFields(CFA, u(i), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    await writeFiles(dir, { 'set.csv': `userId,isActive,forwardToPhoneNumber\n${u(1)},true,4501\n${u(2)},true,4502\n${u(3)},true,4503\n` });
    const set = await run(['run', '--operation', CFA, '--manifest', 'set.csv', '--out', 'set']);
    expect(set.code).toBe(0);
    expect((await rawGet(u(1))).forwardToPhoneNumber).toBe(4501);
    const rollbackText = await readFile(join(dir, 'set', 'rollback.csv'), 'utf8');
    expect(rollbackText).toBe(`userId,isActive,forwardToPhoneNumber\n${u(1)},false,null\n${u(2)},false,null\n${u(3)},false,null\n`);
    const writes = (await readFile(join(dir, 'set', 'writes.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { before: Record<string, unknown> });
    expect(writes.map((w) => w.before)).toEqual([1, 2, 3].map(() => ({ isActive: false, forwardToPhoneNumber: null })));

    const undo = await runFile(join('set', 'rollback.csv'), 'undo');
    expect(undo.exitCode).toBe(0);
    for (const i of [1, 2, 3]) {
      expect(await rawGet(u(i))).toEqual({ isActive: false, isRingSplashActive: false, userId: u(i) });
      expect(sim.getFields(CFA, u(i))!.forwardToPhoneNumber).toBeNull();
    }
  });

  it('plan and apply: an unset value is planned from null, and apply does not take it for a change since the plan', async () => {
    for (const i of [1, 2]) sim.setFields(CFA, u(i), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    await writeFiles(dir, { 'set.csv': `userId,isActive,forwardToPhoneNumber\n${u(1)},true,7001\n${u(2)},false,null\n` });
    const plan = await run(['plan', '--operation', CFA, '--manifest', 'set.csv', '--out', 'plan']);
    expect(plan.code).toBe(0);
    const planRows = (await readFile(join(dir, 'plan', 'plan.json'), 'utf8'));
    expect(planRows).toContain(`"before":{"isActive":false,"forwardToPhoneNumber":null}`);
    const applied = await run(['apply', join(dir, 'plan'), '--out', join(dir, 'applied')]);
    expect(applied.code).toBe(0);
    const results = await readJson<Result[]>(join(dir, 'applied', 'results.json'));
    expect(results.map((r) => r.status)).toEqual(['updated', 'unchanged']);
    expect((await rawGet(u(1))).forwardToPhoneNumber).toBe(7001);
  });

  it('export: an unset number is exported as null, so running the snapshot clears a number set since', async () => {
    sim.setFields(CFA, u(1), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    sim.setFields(CFA, u(2), { isActive: true, forwardToPhoneNumber: '4500', isRingSplashActive: false });
    await writeFiles(dir, { 'who.csv': `userId\n${u(1)}\n${u(2)}\n` });
    const exported = await run(['export', '--operation', CFA, '--manifest', 'who.csv', '--out', 'snap.csv']);
    expect(exported.code).toBe(0);
    expect(await readCsvRecords(join(dir, 'snap.csv'))).toEqual([
      { userId: u(1), isActive: 'false', forwardToPhoneNumber: 'null', isRingSplashActive: 'false' },
      { userId: u(2), isActive: 'true', forwardToPhoneNumber: '4500', isRingSplashActive: 'false' },
    ]);
    sim.setFields(CFA, u(1), { isActive: true, forwardToPhoneNumber: '9999' });
    const restored = await runFile('snap.csv', 'restored');
    expect(restored.exitCode).toBe(0);
    expect(await rawGet(u(1))).toEqual({ isActive: false, isRingSplashActive: false, userId: u(1) });
    expect((await readJson<Result[]>(join(dir, 'restored', 'results.json'))).map((r) => r.status)).toEqual(['updated', 'unchanged']);
  });

  it('resume: a PUT that was applied but never answered keeps null as its before value, for rollback.csv', async () => {
    sim.setFields(CFA, u(1), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    // The server applies the PUT and never answers: the row fails on timeout, its PUT recorded in writes.ndjson.
    sim.script('PUT', CFA_PATH, [{ apply: true, hang: true }], { key: u(1) });
    await writeFiles(dir, { 'set.csv': `userId,forwardToPhoneNumber\n${u(1)},4500\n` });
    // Set-up, in this process: the interrupted run whose folder the spawned --resume continues.
    const first = await libraryRun(sim, { operation: CFA, manifest: join(dir, 'set.csv'), out: join(dir, 'out'), retries: 0, timeout: 0.5 });
    expect(first.exitCode).toBe(1);
    expect(sim.getFields(CFA, u(1))!.forwardToPhoneNumber).toBe('4500');
    const again = await run(['run', '--operation', CFA, '--manifest', 'set.csv', '--resume', 'out', '--retry-failed']);
    expect(again.code).toBe(0);
    const results = await readJson<Result[]>(join(dir, 'out', 'results.json'));
    expect(results[0]).toMatchObject({ status: 'updated', before: { forwardToPhoneNumber: null } });
    expect(await readFile(join(dir, 'out', 'rollback.csv'), 'utf8')).toBe(`userId,forwardToPhoneNumber\n${u(1)},null\n`);
  });
});
