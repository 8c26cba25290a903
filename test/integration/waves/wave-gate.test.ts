import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { resolveApply } from '../../../src/settings/resolve-apply.js';
import { validateJob } from '../../../src/api/validate-job.js';
import { BASELINE, baselineManifest, createRecordingLogger, OP, POLICY, readResultsJson, runAgainst, TARGET, tempDir, withSimulator } from '../../kit/index.js';
import { applyPlan } from '../../../src/pipelines/apply-plan.js';
import { Secrets } from '../../../src/logging/secrets.js';

describe('the wave gate in the engine', () => {
  const sim = withSimulator({ users: 400, seed: 21 });

  it('a canary is exact whatever the concurrency: rows already as asked do not count, rows after the canary are not read', async () => {
    const dir = await tempDir();
    const { manifest, users } = await baselineManifest(sim, dir, 60);
    // Every other user of the first 20 already holds the target: unchanged, not part of the canary.
    for (const u of users.slice(0, 20).filter((_, i) => i % 2 === 1)) sim.setFields(OP, u, TARGET);
    const out = join(dir, 'out');
    const outcome = await runAgainst(sim, { manifest, out, concurrency: 16, canary: '7', settle: 0 });
    expect(outcome.summary).toMatchObject({ total: 60, updated: 7, exitCode: 0 });
    const written = users.filter((u) => sim.count('PUT', POLICY, u) > 0);
    // The first 7 that needed a change: users 1, 3, 5, … 13 (0-based 0, 2, … 12).
    expect(written).toEqual([0, 2, 4, 6, 8, 10, 12].map((i) => users[i]));
    const results = await readResultsJson(out);
    const waiting = results.filter((r) => r.status === 'waiting').map((r) => r.userId);
    const unchanged = results.filter((r) => r.status === 'unchanged').map((r) => r.userId);
    expect(waiting.length + unchanged.length + 7).toBe(60);
    // Rows started before the canary was full may be unchanged; nothing after it was read.
    for (const u of waiting) expect(sim.count('GET', POLICY, u)).toBe(0);
    expect(outcome.summary.waiting).toBe(waiting.length);
  });

  it('--wave-max-failures tolerates that many reverted users per wave; every wave is read again', async () => {
    const dir = await tempDir();
    const { manifest, users } = await baselineManifest(sim, dir, 40);
    sim.setFaults({ revertShare: 0.2, revertDelayMs: 0 });
    try {
      const outcome = await runAgainst(sim, { manifest, out: join(dir, 'out'), concurrency: 4, waves: '5,20,100%', settle: 0.05, waveMaxFailures: 40 });
      expect(outcome.summary).toMatchObject({ total: 40, updated: 40, exitCode: 0 });
      const waves = outcome.summary.waves!.waves;
      expect(waves.map((w) => [w.upTo, w.written, w.checked, w.outcome])).toEqual([[5, 5, 5, 'passed'], [20, 15, 15, 'passed'], [40, 20, 20, 'passed']]);
      const reverted = waves.flatMap((w) => w.reverted.map((r) => r.id)).sort();
      // The oracle is the simulator's own state: exactly the users it set back.
      expect(reverted).toEqual(users.filter((u) => sim.getFields(OP, u)?.clidPolicy === BASELINE.clidPolicy).sort());
      expect(reverted.length).toBeGreaterThan(0);
    } finally {
      sim.setFaults({ revertShare: 0 });
    }
  });

  it('apply --canary writes the first N planned users; applying the plan again writes the rest, none twice', async () => {
    const dir = await tempDir();
    const { manifest, users } = await baselineManifest(sim, dir, 12);
    const planDir = join(dir, 'plan');
    const planned = await runAgainst(sim, { manifest, out: planDir, dryRun: true });
    expect(planned.summary.planned).toBe(12);
    const deps = { logger: createRecordingLogger(), secrets: new Secrets(), now: () => new Date() };
    const connection = { baseUrl: sim.url, username: sim.username, password: sim.password };
    const base = { plan: planDir, force: false, rate: 0, maxFailures: { kind: 'count' as const, max: 5 } };
    const canary = await applyPlan({ ...base, outDir: join(dir, 'a1'), waves: { mode: 'canary', sizes: [{ kind: 'count', rows: 3 }], settleMs: 0, maxFailures: 0, order: 'manifest' } }, connection, deps);
    expect(canary.summary).toMatchObject({ updated: 3, waiting: 9, exitCode: 0 });
    expect(users.filter((u) => sim.count('PUT', POLICY, u) > 0)).toEqual(users.slice(0, 3));
    const rest = await applyPlan({ ...base, outDir: join(dir, 'a2') }, connection, deps);
    expect(rest.summary).toMatchObject({ updated: 9, unchanged: 3, exitCode: 0 });
    for (const u of users) expect(sim.count('PUT', POLICY, u)).toBe(1);
  });

  it('the failure budget stops a wave before its check: the wave is reported interrupted, the rows not started are skipped (not waiting)', async () => {
    const dir = await tempDir();
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    sim.script('PUT', POLICY, [400], { key: users[2]! });
    const outcome = await runAgainst(sim, { manifest, out: join(dir, 'out'), concurrency: 1, waves: '10,100%', settle: 0, maxFailures: '0' });
    expect(outcome.summary).toMatchObject({ failed: 1, exitCode: 4 });
    expect(outcome.summary.skipped).toBeGreaterThan(0);
    expect(outcome.summary.waiting ?? 0).toBe(0);
    expect(outcome.summary.waves!.waves).toEqual([expect.objectContaining({ wave: 1, upTo: 10, failed: 1, checked: 0, outcome: 'interrupted' })]);
  });

  describe('--wave-order spread', () => {
    const grouped = withSimulator({ users: 400, groupSize: 100 });

    it('takes each wave evenly across the groups the manifest names (serviceProviderId, groupId: never set)', async () => {
      const dir = await tempDir();
      // The first 10 users of each of the 4 groups, group after group, all at BASELINE.
      const rows = grouped.groups().flatMap((g) =>
        grouped.userIds(`${g.serviceProviderId}/${g.groupId}`).slice(0, 10).map((user) => {
          grouped.setFields(OP, user, BASELINE);
          return { user, sp: g.serviceProviderId, group: g.groupId };
        }),
      );
      expect(rows).toHaveLength(40);
      const manifest = join(dir, 'grouped.csv');
      await writeFile(manifest, ['userId,serviceProviderId,groupId,useUserCLIDSetting,clidPolicy', ...rows.map((r) => `${r.user},${r.sp},${r.group},true,Use Configurable CLID`)].join('\n') + '\n');
      const outcome = await runAgainst(grouped, { manifest, out: join(dir, 'out'), waves: '4,100%', waveOrder: 'spread', settle: 0, concurrency: 8 });
      expect(outcome.summary).toMatchObject({ total: 40, updated: 40, exitCode: 0 });
      expect(outcome.summary.waves!.waves.map((w) => [w.upTo, w.written])).toEqual([[4, 4], [40, 36]]);
      // The first wave (4 rows) took the first user of each group, not the first 4 users of the first group.
      const firstWave = (await readResultsJson(join(dir, 'out'))).slice(0, 4).map((r) => r.userId);
      expect(firstWave).toEqual([0, 10, 20, 30].map((i) => rows[i]!.user));
      for (const r of rows) expect(grouped.getFields(OP, r.user)).toMatchObject(TARGET);
    });

    it("a user manifest's serviceProviderId and groupId columns are valid and never set; a row with nothing else still sets nothing", async () => {
      const dir = await tempDir();
      const good = join(dir, 'good.csv');
      await writeFile(good, 'userId,serviceProviderId,groupId,clidPolicy\nuser00001@sim.odin.test,sim-sp,grp-01,Use DN\n');
      expect(await validateJob({ manifest: good })).toMatchObject({ rows: 1, fieldsUsed: ['clidPolicy'] });
      const bad = join(dir, 'bad.csv');
      await writeFile(bad, 'userId,serviceProviderId,groupId,clidPolicy\nuser00001@sim.odin.test,sim-sp,grp-01,\n');
      await expect(validateJob({ manifest: bad })).rejects.toMatchObject({ code: 'EMANIFEST_INVALID' });
    });

    it('of a manifest that names no group is an input error before anything is sent; apply refuses it', async () => {
      const dir = await tempDir();
      const { manifest } = await baselineManifest(sim, dir, 3);
      const before = sim.stats.total;
      await expect(runAgainst(sim, { manifest, out: join(dir, 'out'), waves: '50%,100%', waveOrder: 'spread' })).rejects.toMatchObject({
        code: 'EINPUT',
        message: expect.stringContaining('--wave-order spread takes rows evenly across groups, and'),
      });
      expect(sim.stats.total).toBe(before);
      expect(() => resolveApply(dir, { waves: '50%,100%', waveOrder: 'spread' })).toThrow(expect.objectContaining({ details: [expect.stringContaining("--wave-order: apply writes in the plan's order")] }));
    });
  });
});
