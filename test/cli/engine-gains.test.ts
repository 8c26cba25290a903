import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { libraryPlan, odinEnv, pollUntil, runCli, spawnCli, tempDir, withSimulator } from '../kit/index.js';

const OP = 'user-call-processing-policy';
const POLICY = '/users/call-processing-policy';
const user = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const exists = (file: string) => access(file).then(() => true, () => false);
const FAST = ['--rate', '0', '--retries', '0'];

/**
 * What `apply` and `export` gained by running on the one row engine (issue 12), each through the built binary:
 * apply's writes.ndjson, progress and --max-failures; export's Ctrl-C handling, failure budget, --json and the
 * cleartext http:// warning.
 */
describe('apply and export on the row engine (built binary)', () => {
  const sim = withSimulator({ users: 200, record: false });
  let dir: string;
  let env: Record<string, string>;
  /** Users `from`..`to` at Use DN, and a manifest moving them to Use Configurable CLID. */
  const clidManifest = async (name: string, from: number, to: number) => {
    const lines = ['userId,useUserCLIDSetting,clidPolicy'];
    for (let n = from; n <= to; n++) {
      sim.setFields(OP, user(n), { useUserCLIDSetting: false, clidPolicy: 'Use DN' });
      lines.push(`${user(n)},true,Use Configurable CLID`);
    }
    await writeFile(join(dir, name), lines.join('\n') + '\n');
    return join(dir, name);
  };

  /** The plan an apply test starts from, made in this process (plan itself is tested in hardening/plan-apply.test.ts). */
  const planned = (manifest: string, out: string) => libraryPlan(sim, { manifest, out, retries: 0 });

  beforeAll(async () => {
    dir = await tempDir();
    env = odinEnv(sim);
  });
  afterEach(() => {
    sim.clearScripts();
    sim.setFaults({ latencyMs: 0 });
  });
  afterAll(async () => {
  });

  describe('apply', () => {
    it('records each PUT in writes.ndjson before it is sent, as run does, and shows progress', async () => {
      const manifest = await clidManifest('apply-writes.csv', 1, 12);
      const plan = join(dir, 'plan-writes');
      expect((await planned(manifest, plan)).exitCode).toBe(0);
      sim.setFaults({ latencyMs: 20 });
      const out = join(dir, 'applied-writes');
      const res = await runCli(['apply', plan, '--out', out, ...FAST, '-c', '2', '--progress-interval', '0.05'], { cwd: dir, env });
      expect(res.code).toBe(0);
      const writes = (await readFile(join(out, 'writes.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(writes).toHaveLength(12);
      expect(writes.map((w) => w.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => user(i + 1)));
      for (const w of writes) expect(w).toMatchObject({ before: { useUserCLIDSetting: false, clidPolicy: 'Use DN' }, changed: ['useUserCLIDSetting', 'clidPolicy'] });
      const progress = res.stderr.split('\n').filter((l) => l.startsWith('progress: '));
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.at(-1)).toMatch(/^progress: 12\/12 rows done in [\d.]+s \([\d.]+ rows\/s\), 0 failed, 0 retries$/);
    });

    it('--max-failures stops the apply past its budget: exit 4, the rest skipped, and how to finish it', async () => {
      const manifest = await clidManifest('apply-budget.csv', 21, 40);
      const plan = join(dir, 'plan-budget');
      expect((await planned(manifest, plan)).exitCode).toBe(0);
      for (let n = 21; n <= 26; n++) sim.script('PUT', POLICY, [400], { key: user(n) });
      const out = join(dir, 'applied-budget');
      const res = await runCli(['apply', plan, '--out', out, ...FAST, '-c', '1', '--max-failures', '2'], { cwd: dir, env });
      expect(res.code).toBe(4);
      expect(res.stderr).toContain('Stopped early: failure budget exceeded: 3 rows failed, more than the 2 allowed (--max-failures).');
      expect(res.stderr).toContain(`Finish the apply, once the cause is dealt with, with: odin-bulk apply ${plan}`);
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({ total: 20, failed: 3, skipped: 17, exitCode: 4 });
      expect(sim.count('PUT', POLICY, user(27))).toBe(0);
    });

    it('Ctrl-C stops it: rows in flight finish, the rest are skipped, exit 4, and the reports say which users were written', async () => {
      const manifest = await clidManifest('apply-interrupt.csv', 71, 110);
      const plan = join(dir, 'plan-interrupt');
      expect((await planned(manifest, plan)).exitCode).toBe(0);
      sim.setFaults({ latencyMs: 100 });
      sim.resetStats(); // the PUTs of the earlier tests are not this apply's
      const out = join(dir, 'applied-interrupt');
      const run = spawnCli(['apply', plan, '--out', out, ...FAST, '-c', '2'], { sim, cwd: dir });
      await pollUntil(() => sim.count('PUT', POLICY) >= 4, 'the apply to have written 4 users');
      run.child.kill('SIGINT');
      const { code } = await run.exited;
      expect(code).toBe(4);
      expect(run.stderr()).toContain('SIGINT: stopping. No new rows start');
      expect(run.stderr()).toContain('Stopped early: interrupted by SIGINT.');
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
      // The simulator's own count of PUTs is the oracle: every user it changed is reported updated, no other.
      const written = Array.from({ length: 40 }, (_, i) => user(71 + i)).filter((u) => sim.getFields(OP, u)!.clidPolicy === 'Use Configurable CLID');
      expect(summary).toMatchObject({ total: 40, updated: written.length, failed: 0, skipped: 40 - written.length, exitCode: 4 });
      expect(written.length).toBeLessThan(40);
      const rollback = (await readFile(join(out, 'rollback.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[0]).sort();
      expect(rollback).toEqual(written.sort());
    });

    it('refuses a bad --max-failures before anything is sent', async () => {
      const res = await runCli(['apply', join(dir, 'plan-writes'), '--max-failures', 'lots'], { cwd: dir, env });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/command line --max-failures: must be a whole number of rows \(e\.g\. 25\) or a percentage/);
    });
  });

  describe('export', () => {
    it('Ctrl-C stops it: no new targets start, exit 4, and nothing is written (an export cut short would be incomplete)', async () => {
      sim.setFaults({ latencyMs: 100 });
      sim.resetStats();
      const out = join(dir, 'interrupted.csv');
      const run = spawnCli(['export', '--group', 'sim-sp/grp-01', '--out', out, '--rate', '0', '-c', '2'], { sim, cwd: dir });
      await pollUntil(() => sim.count('GET', POLICY) >= 4, 'the export to have read 4 users');
      run.child.kill('SIGINT');
      const { code } = await run.exited;
      expect(code).toBe(4);
      expect(run.stderr()).toContain('SIGINT: stopping. No new rows start; rows in flight get 10 s to finish, then the export ends without writing its file.');
      expect(run.stderr()).toContain('Stopped early: interrupted by SIGINT.');
      expect(run.stderr()).toContain('Nothing was written: an export stopped early would be incomplete. Run it again, once the cause is dealt with:');
      expect(run.stderr()).toContain(`  odin-bulk export --group sim-sp/grp-01 --out ${out} --rate 0 -c 2`);
      expect(sim.count('GET', POLICY)).toBeLessThan(50);
      expect(await readdir(dir)).not.toContain('interrupted.csv');
      expect((await readdir(dir)).filter((f) => f.startsWith('interrupted.csv'))).toEqual([]);
    });

    it('--max-failures stops it past its budget; nothing is written', async () => {
      const targets = await clidManifest('export-budget.csv', 41, 70);
      for (let n = 41; n <= 46; n++) sim.script('GET', POLICY, [400], { key: user(n) });
      const out = join(dir, 'budget.csv');
      const res = await runCli(['export', '--manifest', targets, '--out', out, ...FAST, '-c', '1', '--max-failures', '3'], { cwd: dir, env });
      expect(res.code).toBe(4);
      expect(res.stderr).toContain('Stopped early: failure budget exceeded: 4 rows failed, more than the 3 allowed (--max-failures).');
      expect(await exists(out)).toBe(false);
      expect(sim.count('GET', POLICY, user(70))).toBe(0);
    });

    it('--json prints what it did as JSON on stdout, and nothing else there', async () => {
      const targets = await clidManifest('export-json.csv', 71, 75);
      sim.script('GET', POLICY, [400], { key: user(73) });
      const out = join(dir, 'export.json');
      const res = await runCli(['export', '--manifest', targets, '--out', out, '--fields', 'clidPolicy', '--json', ...FAST], { cwd: dir, env });
      expect(res.code).toBe(1);
      const json = JSON.parse(res.stdout);
      expect(json).toMatchObject({ operation: OP, source: targets, file: out, format: 'json', fields: ['clidPolicy'], targets: 5, written: 4, failed: 1, exitCode: 1 });
      expect(json.failures).toEqual([expect.objectContaining({ line: 4, id: user(73), errorCode: 'HTTP_4XX' })]);
      expect(JSON.parse(await readFile(out, 'utf8'))).toHaveLength(4);
      // The human summary and the unreadable target go to stderr.
      expect(res.stderr).toContain(`Exported 4 of 5 targets of ${targets}`);
      expect(res.stderr).toContain(`1 target could not be read and is not in the export:\n  ${user(73)}: `);
    });

    it('warns before anything is sent when the password would cross the network in clear text (http:// to another host)', async () => {
      const bad = join(dir, 'bad-targets.csv');
      await writeFile(bad, 'userId\nnot a user id\n');
      // The manifest is refused offline, so nothing is sent anywhere: the warning is printed before that check.
      const res = await runCli(['export', '--manifest', bad, '--out', join(dir, 'never.csv')], {
        cwd: dir,
        env: { ...env, ODIN_BASE_URL: 'http://odin.example.test/api/v2' },
      });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('WARNING: ODIN_BASE_URL uses http:// to odin.example.test: the password and token cross the network unencrypted. Use https://.');
      expect(res.stderr).toContain('EMANIFEST_INVALID: ');
      // Against the simulator on 127.0.0.1 there is nothing to warn about.
      const local = await runCli(['export', '--manifest', bad, '--out', join(dir, 'never.csv')], { cwd: dir, env });
      expect(local.stderr).not.toContain('WARNING');
    });
  });
});
