import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { clidManifest, FAST, odinEnv, range, readJson, runAgainst, runCli, tempDir, withSimulator } from '../../kit/index.js';

const POLICY = '/users/call-processing-policy';

describe('drift checks: plan --fail-on-changes', () => {
  const sim = withSimulator({ users: 20, record: false });
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = odinEnv(sim);
    dir = await tempDir({
      'drifted.csv': clidManifest(range(1, 6)),
      'with-missing-user.csv': clidManifest(range(7, 9), ['nobody@sim.odin.test,true,Use DN,Use DN']),
    });
  });

  it('exits 5 while rows differ from the manifest, and 0 once they are as it says', async () => {
    const manifest = join(dir, 'drifted.csv');
    const before = await runCli(['plan', '--manifest', manifest, '--fail-on-changes', '--out', join(dir, 'p1'), ...FAST], { env });
    expect(before.code).toBe(5);
    expect(before.stderr).toContain('6 rows differ from the manifest: exit 5 (--fail-on-changes)');
    expect(await readJson(join(dir, 'p1/summary.json'))).toMatchObject({ planned: 6, failed: 0, exitCode: 5 });
    expect(await readJson(join(dir, 'p1/run.json'))).toMatchObject({ dryRun: true, settings: { failOnChanges: true } });
    expect(sim.count('PUT', POLICY)).toBe(0);

    // --dry-run on run is the same check.
    const dryRun = await runCli(['run', '--manifest', manifest, '--dry-run', '--fail-on-changes', '--out', join(dir, 'p2'), ...FAST], { env });
    expect(dryRun.code).toBe(5);

    // Without the flag, the same plan is a success.
    const plain = await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'p3'), ...FAST], { env });
    expect(plain.code).toBe(0);

    // The manifest applied (in this process: the run is set-up here, the plans are under test).
    const apply = await runAgainst(sim, { manifest, out: join(dir, 'apply'), rate: 0, retries: 0 });
    expect(apply.summary.exitCode).toBe(0);
    expect(sim.count('PUT', POLICY)).toBe(6);

    const after = await runCli(['plan', '--manifest', manifest, '--fail-on-changes', '--out', join(dir, 'p4'), ...FAST], { env });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(await readJson(join(dir, 'p4/summary.json'))).toMatchObject({ unchanged: 6, planned: 0, exitCode: 0 });

    // One user drifts (someone changed it by hand): the check flags it again.
    sim.setFields('user-call-processing-policy', 'user00003@sim.odin.test', { clidPolicy: 'Use DN' });
    const drifted = await runCli(['plan', '--manifest', manifest, '--fail-on-changes', '--out', join(dir, 'p5'), ...FAST], { env });
    expect(drifted.code).toBe(5);
    const rows = await readJson<{ userId: string; status: string }[]>(join(dir, 'p5/results.json'));
    expect(rows.filter((r) => r.status === 'planned').map((r) => r.userId)).toEqual(['user00003@sim.odin.test']);
  });

  it('failed rows exit 1 even when other rows would change: a broken check is never mistaken for drift', async () => {
    const manifest = join(dir, 'with-missing-user.csv');
    const result = await runCli(['plan', '--manifest', manifest, '--fail-on-changes', '--out', join(dir, 'f1'), ...FAST], { env });
    expect(result.code).toBe(1);
    expect(await readJson(join(dir, 'f1/summary.json'))).toMatchObject({ planned: 3, failed: 1, exitCode: 1 });
  });

  it('is refused on a real run (exit 2) before anything is sent', async () => {
    const gets = sim.count('GET', POLICY);
    const puts = sim.count('PUT', POLICY);
    const logins = sim.count('POST', '/auth/token');
    const result = await runCli(['run', '--manifest', join(dir, 'drifted.csv'), '--fail-on-changes', '--out', join(dir, 'r1'), ...FAST], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--fail-on-changes: only a plan can fail on changes');
    expect([sim.count('GET', POLICY), sim.count('PUT', POLICY), sim.count('POST', '/auth/token')]).toEqual([gets, puts, logins]);
  });
});
