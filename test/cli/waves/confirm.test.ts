import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { baselineManifest, OP, pollUntil, POLICY, readSummary, runCli, spawnOnTerminal, TARGET, tempDir, withSimulator } from '../../kit/index.js';

const FAST = ['--rate', '0', '--retries', '0', '--concurrency', '2'];

describe('--confirm', () => {
  const sim = withSimulator({ users: 100, seed: 16 });

  it('without a terminal it is an input error before anything is sent', async () => {
    const dir = await tempDir();
    const { manifest } = await baselineManifest(sim, dir, 4);
    const before = sim.stats.total;
    const res = await runCli(['run', '--manifest', manifest, '--out', join(dir, 'out'), ...FAST, '--waves', '50%,100%', '--confirm'], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('EINPUT: --confirm asks before each wave on a terminal, and this one has none (stdin or stderr is not a terminal)');
    expect(sim.stats.total).toBe(before);
  });

  it('on a terminal it asks after each wave: show lists the wave, n stops with the rest waiting (exit 0)', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 10);
    const run = spawnOnTerminal(['run', '--manifest', manifest, '--out', out, ...FAST, '--waves', '20%,100%', '--settle', '0', '--confirm'], { sim });
    const question = 'Go on with wave 2 of 2 (up to 10 rows)? [y/n/show]';
    await pollUntil(() => run.screen().includes(question), 'the question after wave 1', 30_000);
    // Nothing goes on while the question waits.
    expect(users.filter((u) => sim.count('PUT', POLICY, u) > 0)).toEqual(users.slice(0, 2));
    run.type('show');
    await pollUntil(() => run.screen().split(question).length === 3, 'the question again after show', 30_000);
    expect(run.screen()).toContain(`~ ${users[0]}`);
    expect(run.screen()).toContain(`~ ${users[1]}`);
    run.type('n');
    expect((await run.exited).code).toBe(0);
    expect(await readSummary(out)).toMatchObject({ updated: 2, waiting: 8, exitCode: 0 });
    expect((await readSummary(out)).waves?.waves.map((w) => w.outcome)).toEqual(['declined']);
    expect(users.filter((u) => sim.count('PUT', POLICY, u) > 0)).toEqual(users.slice(0, 2));
  });

  it('y goes on with the next wave', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 10);
    const run = spawnOnTerminal(['run', '--manifest', manifest, '--out', out, ...FAST, '--waves', '20%,100%', '--settle', '0', '--confirm'], { sim });
    await pollUntil(() => run.screen().includes('[y/n/show]'), 'the question after wave 1', 30_000);
    run.type('y');
    expect((await run.exited).code).toBe(0);
    expect(await readSummary(out)).toMatchObject({ updated: 10, exitCode: 0 });
    for (const u of users) expect(sim.getFields(OP, u)).toMatchObject(TARGET);
  });
});
