import { beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../../src/model/errors.js';
import { OP, PLAN_REPORT_FILES, POLICY, readCsvHeader, readCsvRecords, readResultsJson, readSummary, RUN_REPORT_FILES, runTestJob, tempDir, testJobOptions, withSimulator } from '../kit/index.js';

const [U1, U2, U3] = ['user00001@sim.odin.test', 'user00002@sim.odin.test', 'user00003@sim.odin.test'];

const sim = withSimulator({ users: 10 }, { each: true });
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

const putsFor = (userId: string) => sim.requests.filter((r) => r.method === 'PUT' && r.path === POLICY && r.key === userId);

describe('runJob: happy path', () => {
  it('writes only what differs, and reports before and after values that match the server', async () => {
    const limitsOn = { useUserCallLimitsSetting: true, useMaxSimultaneousCalls: true };
    sim.setFields(OP, U1, { ...limitsOn, useUserCLIDSetting: false, clidPolicy: 'Use DN', maxSimultaneousCalls: 5 });
    sim.setFields(OP, U2, { ...limitsOn, useUserCLIDSetting: true, clidPolicy: 'Use Group CLID', maxSimultaneousCalls: 5 });
    sim.setFields(OP, U3, { ...limitsOn, useUserCLIDSetting: true, clidPolicy: 'Use DN', maxSimultaneousCalls: 9 });
    const original = Object.fromEntries([U1, U2, U3].map((u) => [u, sim.getFields(OP, u)!]));
    const manifest = join(dir, 'users.csv');
    await writeFile(
      manifest,
      ['userId,useUserCLIDSetting,clidPolicy,maxSimultaneousCalls', `${U1},true,Use Configurable CLID,10`, `${U2},TRUE,Use Configurable CLID,`, `${U3},false,Use Group CLID,7`, ''].join('\n'),
    );
    const out = join(dir, 'report');

    const { summary, outDir } = await runTestJob(sim, testJobOptions(manifest, out));
    expect(outDir).toBe(out);

    // The server's state: requested fields set, everything else untouched.
    const requested = {
      [U1]: { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID', maxSimultaneousCalls: 10 },
      [U2]: { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' },
      [U3]: { useUserCLIDSetting: false, clidPolicy: 'Use Group CLID', maxSimultaneousCalls: 7 },
    };
    for (const u of [U1, U2, U3]) expect(sim.getFields(OP, u)).toEqual({ ...original[u], ...requested[u] });

    // Only the differing fields were sent, with JSON types, once per row.
    expect(putsFor(U1).map((r) => r.body)).toEqual([{ userId: U1, useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID', maxSimultaneousCalls: 10 }]);
    expect(putsFor(U2).map((r) => r.body)).toEqual([{ userId: U2, clidPolicy: 'Use Configurable CLID' }]);
    expect(putsFor(U3).map((r) => r.body)).toEqual([{ userId: U3, useUserCLIDSetting: false, clidPolicy: 'Use Group CLID', maxSimultaneousCalls: 7 }]);

    // results.json: before = the state before the run, after = the state now, for the requested fields.
    const results = await readResultsJson(out);
    expect(results.map((r) => [r.line, r.userId, r.status, r.requests, r.error])).toEqual([
      [2, U1, 'updated', 2, null],
      [3, U2, 'updated', 2, null],
      [4, U3, 'updated', 2, null],
    ]);
    for (const r of results) {
      const fields = Object.keys(requested[r.userId]!);
      const pick = (all: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, all[f]]));
      expect(r.requested).toEqual(requested[r.userId]);
      expect(r.before).toEqual(pick(original[r.userId]!));
      expect(r.after).toEqual(pick(sim.getFields(OP, r.userId)!));
    }
    expect(results.map((r) => r.changed)).toEqual([
      ['useUserCLIDSetting', 'clidPolicy', 'maxSimultaneousCalls'],
      ['clidPolicy'],
      ['useUserCLIDSetting', 'clidPolicy', 'maxSimultaneousCalls'],
    ]);

    // results.csv: line, key, status, requests, error, then before/after pairs of every field used.
    const csv = join(out, 'results.csv');
    expect(await readCsvHeader(csv)).toEqual([
      'line', 'userId', 'status', 'requests', 'error',
      'useUserCLIDSetting.before', 'useUserCLIDSetting.after', 'clidPolicy.before', 'clidPolicy.after',
      'maxSimultaneousCalls.before', 'maxSimultaneousCalls.after', 'warnings',
    ]);
    expect(await readCsvRecords(csv)).toEqual([
      { line: '2', userId: U1, status: 'updated', requests: '2', error: '', 'useUserCLIDSetting.before': 'false', 'useUserCLIDSetting.after': 'true', 'clidPolicy.before': 'Use DN', 'clidPolicy.after': 'Use Configurable CLID', 'maxSimultaneousCalls.before': '5', 'maxSimultaneousCalls.after': '10', warnings: '' },
      { line: '3', userId: U2, status: 'updated', requests: '2', error: '', 'useUserCLIDSetting.before': 'true', 'useUserCLIDSetting.after': 'true', 'clidPolicy.before': 'Use Group CLID', 'clidPolicy.after': 'Use Configurable CLID', 'maxSimultaneousCalls.before': '', 'maxSimultaneousCalls.after': '', warnings: '' },
      { line: '4', userId: U3, status: 'updated', requests: '2', error: '', 'useUserCLIDSetting.before': 'true', 'useUserCLIDSetting.after': 'false', 'clidPolicy.before': 'Use DN', 'clidPolicy.after': 'Use Group CLID', 'maxSimultaneousCalls.before': '9', 'maxSimultaneousCalls.after': '7', warnings: expect.stringContaining('clidPolicy has no effect while useUserCLIDSetting is false (set by this row)') },
    ]);

    // summary.json and the returned summary agree.
    const onDisk = await readSummary(out);
    expect(onDisk).toEqual(summary);
    expect(onDisk).toMatchObject({ total: 3, updated: 3, unchanged: 0, planned: 0, failed: 0, invalid: 0, skipped: 0, requests: 6, retries: 0, exitCode: 0 });
    expect(onDisk.durationMs).toEqual(expect.any(Number));

    // Every report is in place, none half-written; the journal has one line per row.
    const files = await readdir(out);
    expect(files.sort()).toEqual(RUN_REPORT_FILES);
    expect((await readFile(join(out, 'journal.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await readCsvRecords(join(out, 'failed.csv'))).toEqual([]);
  });

  it('rows already at their requested values are unchanged and send no PUT', async () => {
    sim.setFields(OP, U1, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    sim.setFields(OP, U2, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    const before = sim.getFields(OP, U1);
    const manifest = join(dir, 'same.json');
    await writeFile(manifest, JSON.stringify({ defaults: { useUserCLIDSetting: true }, rows: [{ userId: U1, clidPolicy: 'Use DN' }, { userId: U2, clidPolicy: 'Use DN' }] }));
    const out = join(dir, 'report');

    const { summary } = await runTestJob(sim, testJobOptions(manifest, out));

    expect(sim.count('PUT', POLICY)).toBe(0);
    expect(sim.count('GET', POLICY)).toBe(2);
    expect(sim.getFields(OP, U1)).toEqual(before);
    expect(summary).toMatchObject({ total: 2, unchanged: 2, updated: 0, requests: 2, exitCode: 0 });
    const results = await readResultsJson(out);
    expect(results.map((r) => [r.status, r.changed, r.requests])).toEqual([['unchanged', [], 1], ['unchanged', [], 1]]);
    expect(results[0]!.after).toEqual(results[0]!.before);
    expect(await readCsvRecords(join(out, 'rollback.csv'))).toEqual([]);
  });

  it('plan (dry run) reads and compares, sends no PUT, and writes the same reports', async () => {
    sim.setFields(OP, U1, { useUserCLIDSetting: false });
    sim.setFields(OP, U2, { useUserCLIDSetting: true });
    const manifest = join(dir, 'plan.csv');
    await writeFile(manifest, `userId,useUserCLIDSetting\n${U1},true\n${U2},true\nnobody@sim.odin.test,true\n`);
    const out = join(dir, 'plan');
    const state = [U1, U2].map((u) => sim.getFields(OP, u));

    const { summary } = await runTestJob(sim, testJobOptions(manifest, out, { dryRun: true }));

    expect(sim.count('PUT', POLICY)).toBe(0);
    expect([U1, U2].map((u) => sim.getFields(OP, u))).toEqual(state);
    expect(summary).toMatchObject({ total: 3, planned: 1, unchanged: 1, failed: 1, updated: 0, exitCode: 1 });
    const results = await readResultsJson(out);
    expect(results.map((r) => [r.userId, r.status, r.changed])).toEqual([
      [U1, 'planned', ['useUserCLIDSetting']],
      [U2, 'unchanged', []],
      ['nobody@sim.odin.test', 'failed', []],
    ]);
    expect(results[0]).toMatchObject({ before: { useUserCLIDSetting: false }, after: null });
    expect((await readdir(out)).sort()).toEqual(PLAN_REPORT_FILES);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8'))).toMatchObject({ dryRun: true, job: 'test-job', fieldsUsed: ['useUserCLIDSetting'] });
  });

  it('a PUT answer that does not show a requested value fails the row, naming the field', async () => {
    sim.setFields(OP, U1, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    const stale = { ...sim.getFields(OP, U1), userId: U1 }; // the server "accepts" but answers the old state
    sim.script('PUT', POLICY, [{ status: 200, body: JSON.stringify(stale) }], { key: U1 });
    const manifest = join(dir, 'verify.csv');
    await writeFile(manifest, `userId,useUserCLIDSetting,clidPolicy\n${U1},true,Use Group CLID\n`);

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    const [r] = await readResultsJson(join(dir, 'r'));
    expect(r).toMatchObject({
      status: 'failed',
      changed: ['clidPolicy'],
      before: { useUserCLIDSetting: true, clidPolicy: 'Use DN' },
      after: { useUserCLIDSetting: true, clidPolicy: 'Use DN' },
      error: 'the server accepted the update but clidPolicy is "Use DN", expected "Use Group CLID"',
    });
    expect(summary).toMatchObject({ failed: 1, exitCode: 1 });
  });

  it('refuses a report folder that already holds files, before any request', async () => {
    const manifest = join(dir, 'm.csv');
    await writeFile(manifest, `userId,useGroupName\n${U1},true\n`);
    const out = join(dir, 'used');
    await runTestJob(sim, testJobOptions(manifest, out));
    const sent = sim.stats.total;

    const error = await runTestJob(sim, testJobOptions(manifest, out)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ code: 'EINPUT', message: `report folder ${out} is not empty` });
    expect(sim.stats.total).toBe(sent);
  });
});
