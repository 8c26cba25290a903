import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { BASELINE, baselineManifest, OP, POLICY, readCsvRecords, readJournal, readResultsJson, readSummary, runAgainst, runCli, TARGET, tempDir, withSimulator } from '../../kit/index.js';

const FAST = ['--rate', '0', '--retries', '0', '--concurrency', '4'];

describe('--canary and --waves through the built binary', () => {
  const sim = withSimulator({ users: 150, seed: 15 });

  it('--canary 10 on 40 rows writes exactly 10 users and exits 0; --resume writes the other 30 once; one rollback.csv undoes all 40', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 40);
    const canary = await runCli(['run', '--manifest', manifest, '--out', out, ...FAST, '--canary', '10', '--settle', '0.05'], { sim });
    expect(canary.stderr).not.toContain('Error');
    expect(canary.code).toBe(0);
    const written = users.filter((u) => sim.count('PUT', POLICY, u) > 0);
    expect(written).toEqual(users.slice(0, 10));
    expect(canary.stdout).toContain('canary: 10 written, 30 waiting\n');
    const continueCommand = `odin-bulk run --manifest ${manifest} ${FAST.join(' ')} --resume ${out}`;
    expect(canary.stdout).toContain(`30 rows waiting. Check the canary, then continue with:\n  ${continueCommand}\n`);
    const first = await readSummary(out);
    expect(first).toMatchObject({ total: 40, updated: 10, waiting: 30, skipped: 0, failed: 0, exitCode: 0 });
    expect(first.waves).toMatchObject({ mode: 'canary', waiting: 30, waves: [{ wave: 1, upTo: 10, written: 10, checked: 10, reverted: [], outcome: 'passed' }] });
    const results = await readResultsJson(out);
    expect(results.filter((r) => r.status === 'waiting').map((r) => r.userId)).toEqual(users.slice(10));
    // The waiting rows were not even read: the canary sent nothing for them.
    for (const u of users.slice(10)) expect(sim.count('GET', POLICY, u)).toBe(0);

    // The printed command, as printed (odin-bulk being the built binary).
    const resumed = await runCli(continueCommand.split(' ').slice(1), { sim });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`Resuming ${out}: 10 of 40 rows finished earlier and are kept; 30 to do`);
    for (const u of users) {
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
      expect(sim.count('PUT', POLICY, u)).toBe(1);
    }
    expect(await readSummary(out)).toMatchObject({ total: 40, updated: 40, skipped: 0, failed: 0, exitCode: 0 });
    expect((await readSummary(out)).waiting ?? 0).toBe(0);
    const journal = await readJournal(out);
    expect(journal.filter((j) => j.status === 'waiting')).toHaveLength(30);
    expect(journal.filter((j) => j.status === 'updated')).toHaveLength(40);

    const rollback = join(out, 'rollback.csv');
    expect((await readCsvRecords(rollback)).map((r) => r.userId)).toEqual(users);
    // Run in this process: it checks the file the spawned runs wrote, and is no command under test itself.
    const undo = await runAgainst(sim, { manifest: rollback, out: join(dir, 'undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    for (const u of users) expect(sim.getFields(OP, u)).toMatchObject(BASELINE);
  });

  it('with --shard: the canary is counted within the shard, --resume finishes that shard only, the other shard stays untouched', async () => {
    const dir = await tempDir();
    const out = join(dir, 'shard-1');
    const { manifest, users } = await baselineManifest(sim, dir, 40, 'sharded.csv');
    const first = await runCli(['run', '--manifest', manifest, '--shard', '1/2', '--out', out, ...FAST, '--canary', '3', '--settle', '0.05'], { sim });
    expect(first.code).toBe(0);
    const mine = (await readResultsJson(out)).map((r) => r.userId);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.length).toBeLessThan(40);
    // The simulator is the oracle: three users of this shard written, in manifest order, and no one else.
    expect(users.filter((u) => sim.count('PUT', POLICY, u) > 0)).toEqual(mine.slice(0, 3));
    expect(first.stdout).toContain(`canary: 3 written, ${mine.length - 3} waiting\n`);
    const resumed = await runCli(['run', '--manifest', manifest, '--shard', '1/2', ...FAST, '--resume', out], { sim });
    expect(resumed.code).toBe(0);
    for (const u of users) {
      expect(sim.count('PUT', POLICY, u)).toBe(mine.includes(u) ? 1 : 0);
      expect(sim.getFields(OP, u)).toMatchObject(mine.includes(u) ? TARGET : BASELINE);
    }
  });

  it('--waves stops (exit 4) after the wave in which the simulator reverts the written values; the rest waits and --resume continues it', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 50);
    sim.setFaults({ revertShare: 1, revertDelayMs: 0 });
    let run;
    try {
      run = await runCli(['run', '--manifest', manifest, '--out', out, ...FAST, '--waves', '4%,40%,100%', '--settle', '0.2'], { sim });
    } finally {
      sim.setFaults({ revertShare: 0 });
    }
    expect(run.code).toBe(4);
    // Wave 1 is 4% of 50 rows: 2 users, both undone by the server after the write.
    expect(users.filter((u) => sim.count('PUT', POLICY, u) > 0)).toEqual(users.slice(0, 2));
    const summary = await readSummary(out);
    expect(summary).toMatchObject({ total: 50, updated: 2, waiting: 48, skipped: 0, exitCode: 4 });
    expect(summary.waves?.waves).toEqual([
      {
        wave: 1, upTo: 2, written: 2, failed: 0, unchanged: 0, checked: 2, unreadable: 0, outcome: 'stopped',
        reverted: users.slice(0, 2).map((id, i) => ({ line: i + 2, id, fields: [{ field: 'useUserCLIDSetting', written: true, found: false }, { field: 'clidPolicy', written: 'Use Configurable CLID', found: 'Use DN' }] })),
      },
    ]);
    expect(run.stdout).toContain('waves (4%,40%,100%): 0 of 3 passed, 2 written, 2 reverted, 48 waiting\n');
    expect(run.stdout).toContain(`  reverted: line 2 ${users[0]}: useUserCLIDSetting is false, written true; clidPolicy is "Use DN", written "Use Configurable CLID"\n`);
    expect(run.stdout).toContain(`48 rows waiting. Once the cause is understood, continue with:\n  odin-bulk run --manifest ${manifest} ${FAST.join(' ')} --waves 4%,40%,100% --settle 0.2 --resume ${out}\n`);
    expect(run.stderr).toContain('Stopped early: wave 1 of 3: 2 users no longer hold the written values (2, more than --wave-max-failures 0).');
    for (const u of users.slice(2)) expect(sim.count('GET', POLICY, u)).toBe(0);

    // Continued (the server no longer reverts): waves of the remaining 48 rows (2, 20, 48); each passes.
    const resumed = await runCli(['run', '--manifest', manifest, ...FAST, '--waves', '4%,40%,100%', '--settle', '0.05', '--resume', out], { sim });
    expect(resumed.code).toBe(0);
    const after = await readSummary(out);
    expect(after).toMatchObject({ total: 50, updated: 50, waiting: 0, exitCode: 0 });
    expect(after.waves?.waves.map((w) => [w.upTo, w.written, w.outcome])).toEqual([[2, 2, 'passed'], [20, 18, 'passed'], [48, 28, 'passed']]);
    for (const u of users.slice(2)) {
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
      expect(sim.count('PUT', POLICY, u)).toBe(1);
    }
    // The two reverted users were written once and stay as the server left them: the wave report named them.
    for (const u of users.slice(0, 2)) expect(sim.getFields(OP, u)).toMatchObject(BASELINE);
  });

  it('bad wave flags are input errors naming the flag: exit 2, nothing sent; so is a bad simulate --revert', async () => {
    const dir = await tempDir();
    const { manifest } = await baselineManifest(sim, dir, 3);
    const before = sim.stats.total;
    const cases: [string[], string][] = [
      [['--canary', '0'], '--canary: must be a number of rows from 1 (e.g. 10) or a share of the rows above 0% and up to 100% (e.g. 1%), got "0"'],
      [['--waves', '10%,5%'], '--waves: waves are cumulative and must grow: 5% after 10% (e.g. 1%,10%,100%)'],
      [['--canary', '5', '--waves', '1%,100%'], '--waves: give either --canary (one wave, the rest waits for --resume) or --waves, not both'],
      [['--settle', '2'], '--settle: only goes with --canary N or --waves LIST'],
      [['--dry-run', '--canary', '5'], '--canary: a plan writes nothing, so it has no waves'],
      [['--waves', '50%,100%', '--wave-order', 'spread'], 'names no group; nothing was sent'],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['run', '--manifest', manifest, '--out', join(dir, 'never'), ...FAST, ...flags], { sim });
      expect({ flags, code: r.code }).toEqual({ flags, code: 2 });
      expect(r.stderr).toContain(message);
    }
    expect(sim.stats.total).toBe(before);
    const simulate = await runCli(['simulate', '--revert', 'half']);
    expect(simulate.code).toBe(2);
    expect(simulate.stderr).toContain('--revert: SHARE[:DELAY_MS], a share of accepted PUTs from 0 to 1');
  });
});
