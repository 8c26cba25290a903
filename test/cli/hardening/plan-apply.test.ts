import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { libraryApply, libraryPlan, libraryRun, OP, PACKAGE_VERSION, POLICY, readCsvRecords, readJson, readResultsJson, runCli, tempDir, withSimulator } from '../../kit/index.js';

const [U1, U2, U3] = ['user00001@sim.odin.test', 'user00002@sim.odin.test', 'user00003@sim.odin.test'];
const MANIFEST = `userId,useUserCLIDSetting,clidPolicy\n${U1},true,Use Group CLID\n${U2},true,Use Group CLID\n${U3},true,Use Group CLID\n`;

describe('plan, then apply exactly that plan', () => {
  const sim = withSimulator({ users: 10 }, { each: true });

  async function setup(): Promise<string> {
    sim.setFields(OP, U1, { useUserCLIDSetting: false, clidPolicy: 'Use DN' });
    sim.setFields(OP, U2, { useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    sim.setFields(OP, U3, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    return tempDir({ 'users.csv': MANIFEST });
  }
  /** The plan the first test makes and checks with the built binary, made in this process for the tests of apply. */
  const plan = async (dir: string) => {
    const res = await libraryPlan(sim, { manifest: join(dir, 'users.csv'), out: join(dir, 'plan') });
    expect(res.exitCode).toBe(0);
  };
  const puts = () => sim.requests.filter((r) => r.method === 'PUT' && r.path === POLICY).map((r) => r.body);

  it('writes a versioned plan.json and sends no PUT; apply PUTs exactly its "set" and writes its own reports', async () => {
    const dir = await setup();
    const planned = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'plan'), '--rate', '0'], { sim });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/^Plan "users": 3 rows: 1 unchanged, 2 planned in \d+\.\d s \(3 requests, 0 retries\)$/m);
    expect(planned.stdout).toContain(`odin-bulk apply ${join(dir, 'plan')}`);
    expect(sim.count('GET', POLICY)).toBe(3);
    expect(puts()).toEqual([]);
    expect((await readResultsJson(join(dir, 'plan'))).map((r) => r.status)).toEqual(['planned', 'unchanged', 'planned']);

    const file = join(dir, 'plan', 'plan.json');
    const doc = await readJson(file);
    expect(doc).toEqual({
      version: 1,
      odinBulkVersion: PACKAGE_VERSION,
      server: sim.url,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      job: 'users',
      operation: OP,
      keyFields: ['userId'],
      fieldsUsed: ['useUserCLIDSetting', 'clidPolicy'],
      manifest: join(dir, 'users.csv'),
      manifestHash: createHash('sha256').update(MANIFEST).digest('hex'),
      settings: expect.objectContaining({ rate: 0 }),
      rows: [
        { line: 2, userId: U1, status: 'planned', before: { useUserCLIDSetting: false, clidPolicy: 'Use DN' }, set: { useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' } },
        { line: 3, userId: U2, status: 'unchanged', before: { useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' } },
        { line: 4, userId: U3, status: 'planned', before: { useUserCLIDSetting: true, clidPolicy: 'Use DN' }, set: { clidPolicy: 'Use Group CLID' } },
      ],
    });
    // One row per line, so a reviewer's diff shows one line per user.
    expect((await readFile(file, 'utf8')).split('\n').filter((l) => l.includes('"userId":'))).toHaveLength(3);

    sim.clearRequests();
    const applied = await runCli(['apply', join(dir, 'plan')], { sim });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    // Exactly these two PUTs, in either order: apply runs its rows concurrently.
    expect(puts()).toHaveLength(2);
    expect(puts()).toEqual(expect.arrayContaining([
      { userId: U1, useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' },
      { userId: U3, clidPolicy: 'Use Group CLID' },
    ]));
    expect(sim.count('GET', POLICY, U2)).toBe(1); // read while planning only: the plan changes nothing there
    expect(sim.getFields(OP, U1)).toMatchObject({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });

    const [applyDir] = (await readdir(join(dir, 'plan'))).filter((n) => n.startsWith('apply-'));
    expect(applyDir).toMatch(/^apply-\d{8}T\d{6}Z$/);
    const out = join(dir, 'plan', applyDir!);
    expect(applied.stdout).toContain(out);
    expect((await readCsvRecords(join(out, 'results.csv'))).map((r) => [r.userId, r.status])).toEqual([[U1, 'updated'], [U2, 'unchanged'], [U3, 'updated']]);
    expect(await readCsvRecords(join(out, 'rollback.csv'))).toEqual([
      { userId: U1, useUserCLIDSetting: 'false', clidPolicy: 'Use DN' },
      { userId: U3, useUserCLIDSetting: '', clidPolicy: 'Use DN' },
    ]);
    expect(await readJson(join(out, 'run.json'))).toMatchObject({ plan: { file: join(dir, 'plan', 'plan.json'), force: false } });

    // The apply's rollback.csv undoes it (run in this process: the file apply wrote is what is checked here).
    const undo = await libraryRun(sim, { manifest: join(out, 'rollback.csv'), out: join(dir, 'undo') });
    expect(undo.exitCode).toBe(0);
    expect(sim.getFields(OP, U1)).toMatchObject({ useUserCLIDSetting: false, clidPolicy: 'Use DN' });
    expect(sim.getFields(OP, U3)).toMatchObject({ useUserCLIDSetting: true, clidPolicy: 'Use DN' });
  });

  it('refuses a row whose planned field changed since the plan (conflict, exit 1) unless --force', async () => {
    const dir = await setup();
    await plan(dir);
    sim.setFields(OP, U1, { clidPolicy: 'Use Configurable CLID' }); // someone else changed it after the review
    sim.clearRequests();

    const res = await runCli(['apply', join(dir, 'plan'), '--out', join(dir, 'apply1')], { sim });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/1 conflict/);
    expect(res.stdout).toMatch(/changed since the plan/);
    expect(puts()).toEqual([{ userId: U3, clidPolicy: 'Use Group CLID' }]);
    expect(sim.getFields(OP, U1)).toMatchObject({ useUserCLIDSetting: false, clidPolicy: 'Use Configurable CLID' });
    const rows = await readCsvRecords(join(dir, 'apply1', 'results.csv'));
    expect(rows[0]).toMatchObject({ userId: U1, status: 'conflict', 'clidPolicy.before': 'Use Configurable CLID' });
    expect(rows[0]!.error).toContain('clidPolicy is "Use Configurable CLID", the plan was made from "Use DN"');
    expect((await readCsvRecords(join(dir, 'apply1', 'rollback.csv'))).map((r) => r.userId)).toEqual([U3]);

    sim.clearRequests();
    const forced = await runCli(['apply', join(dir, 'plan', 'plan.json'), '--force', '--out', join(dir, 'apply2')], { sim });
    expect(forced.code).toBe(0);
    // U3 was applied by the first apply: already at its planned values, so it is unchanged and gets no PUT.
    expect(puts()).toEqual([{ userId: U1, useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' }]);
    const again = await readCsvRecords(join(dir, 'apply2', 'results.csv'));
    expect(again[0]).toMatchObject({ userId: U1, status: 'updated' });
    expect(again[0]!.warnings).toContain('written with --force');
    expect(again.find((r) => r.userId === U3)).toMatchObject({ status: 'unchanged' });
  });

  it('applying the same plan again (e.g. after an interruption) writes nothing: rows already as planned are unchanged', async () => {
    const dir = await setup();
    await plan(dir);
    // The first apply, as the interrupted one would have left the users (in this process; the second is the test).
    const first = await libraryApply(sim, { plan: join(dir, 'plan'), out: join(dir, 'a1') });
    expect(first.exitCode).toBe(0);
    expect(puts()).toHaveLength(2);
    sim.clearRequests();
    const second = await runCli(['apply', join(dir, 'plan'), '--out', join(dir, 'a2')], { sim });
    expect(second.code).toBe(0);
    expect(puts()).toEqual([]);
    expect((await readCsvRecords(join(dir, 'a2', 'results.csv'))).map((r) => r.status)).not.toContain('conflict');
    expect((await readCsvRecords(join(dir, 'a2', 'rollback.csv')))).toEqual([]);
  });

  it('refuses a folder without plan.json, an unknown version, a hand-edited wrong value or a version that is no text: exit 2, nothing sent', async () => {
    const dir = await setup();
    await plan(dir);
    const text = await readFile(join(dir, 'plan', 'plan.json'), 'utf8');
    await writeFile(join(dir, 'v2.json'), text.replace('"version": 1', '"version": 2'));
    await writeFile(join(dir, 'edited.json'), text.replace('"set":{"clidPolicy":"Use Group CLID"}', '"set":{"clidPolicy":"use group clid"}'));
    await writeFile(join(dir, 'maker.json'), text.replace(/"odinBulkVersion": "[^"]*"/, '"odinBulkVersion": 1'));
    sim.resetStats();

    const none = await runCli(['apply', dir], { sim });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^EPLAN: .*plan\.json does not exist: there is no plan to apply\n.*odin-bulk plan/)]);
    const v2 = await runCli(['apply', join(dir, 'v2.json')], { sim });
    expect([v2.code, v2.stderr]).toEqual([2, expect.stringContaining('version 2 is not a plan version this odin-bulk can apply')]);
    const edited = await runCli(['apply', join(dir, 'edited.json')], { sim });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/edited\.json:\d+ set\.clidPolicy: "use group clid" is not allowed/);
    const maker = await runCli(['apply', join(dir, 'maker.json')], { sim });
    expect([maker.code, maker.stderr]).toEqual([2, expect.stringContaining('maker.json odinBulkVersion: must be text')]);
    expect(sim.stats.total).toBe(0);
  });

  it('a folder that is no plan is reported before missing connection variables, as run reports its manifest first', async () => {
    const dir = await setup();
    const { code, stderr } = await runCli(['apply', join(dir, 'no-such-plan')], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^EPLAN: .*no-such-plan.* does not exist: there is no plan to apply/);
    expect(stderr).not.toContain('ODIN_BASE_URL');
  });

  it('still applies a plan that another tool pretty-printed', async () => {
    const dir = await setup();
    await plan(dir);
    const doc = await readJson(join(dir, 'plan', 'plan.json'));
    await writeFile(join(dir, 'pretty.json'), JSON.stringify(doc, null, 4));
    const res = await runCli(['apply', join(dir, 'pretty.json'), '--out', join(dir, 'out')], { sim });
    expect(res.code).toBe(0);
    expect(sim.getFields(OP, U3)).toMatchObject({ clidPolicy: 'Use Group CLID' });
  });
});
