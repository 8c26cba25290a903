import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '../../src/simulator/simulator.js';
import { clidManifest, FAST, libraryPlan, libraryRun, range, readJson, runCli, simulators, tempDir } from '../kit/index.js';

// A report folder belongs to the server it was made against: a resume, or an apply of a plan, that points at another
// ODIN_BASE_URL (a shell still set for staging, say) is refused before anything is sent to it.
describe('one server per run: --resume and apply talk to the server the folder was made against', () => {
  const start = simulators({ users: 10, record: false });
  let first: Simulator;
  let other: Simulator;
  let dir: string;
  let manifest: string;
  beforeAll(async () => {
    [first, other] = await Promise.all([start(), start()]);
    dir = await tempDir({ 'users.csv': clidManifest(range(1, 10)) });
    manifest = join(dir, 'users.csv');
    // Set-up, in this process: a finished run and a plan, both against the first simulator.
    expect((await libraryRun(first, { manifest, out: join(dir, 'run'), retries: 0 })).exitCode).toBe(0);
    expect((await libraryPlan(first, { manifest: join(dir, 'users.csv'), out: join(dir, 'plan'), retries: 0 })).exitCode).toBe(0);
  });

  it('run.json and plan.json record the API root', async () => {
    expect(await readJson(join(dir, 'run', 'run.json'))).toMatchObject({ server: first.url });
    expect(await readJson(join(dir, 'plan', 'plan.json'))).toMatchObject({ server: first.url });
  });

  it('--resume against another server: ERESUME (exit 2) naming both, and that server hears nothing', async () => {
    other.resetStats();
    const r = await runCli(['run', '--manifest', manifest, '--resume', join(dir, 'run'), ...FAST], { sim: other });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ERESUME: cannot resume ${join(dir, 'run')}: it ran against ${first.url}, this command against ${other.url}`);
    expect(r.stderr).toContain(`Set ODIN_BASE_URL to ${first.url} and resume`);
    expect(other.stats.total).toBe(0);
  });

  it('--resume against the same server written another way (a trailing slash) goes on', async () => {
    const r = await runCli(['run', '--manifest', manifest, '--resume', join(dir, 'run'), ...FAST], { sim: first, env: { ODIN_BASE_URL: `${first.url}/` } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('10 of 10 rows finished earlier');
  });

  it('apply of a plan made against another server: EPLAN (exit 2), nothing sent, no apply folder', async () => {
    other.resetStats();
    const r = await runCli(['apply', join(dir, 'plan'), ...FAST], { sim: other });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`EPLAN: ${join(dir, 'plan', 'plan.json')} was made against ${first.url}; this apply talks to ${other.url}: nothing was sent`);
    expect(other.stats.total).toBe(0);
    expect((await readdir(join(dir, 'plan'))).filter((f) => f.startsWith('apply'))).toEqual([]);
  });

  it('merge-reports of shards run against two servers: refused (exit 2), naming each folder\'s server', async () => {
    const shards = [join(dir, 'shard-1'), join(dir, 'shard-2')];
    expect((await libraryRun(first, { manifest, shard: '1/2', out: shards[0]!, retries: 0 })).exitCode).toBe(0);
    expect((await libraryRun(other, { manifest, shard: '2/2', out: shards[1]!, retries: 0 })).exitCode).toBe(0);
    const r = await runCli(['merge-reports', ...shards, '--out', join(dir, 'merged')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`  the folders are of different servers:\n    ${shards[0]}: ${first.url}\n    ${shards[1]}: ${other.url}\n`);
    expect((await readdir(dir)).filter((f) => f.startsWith('merged'))).toEqual([]);
  });

  it('apply against the plan\'s own server records it in its run.json', async () => {
    const out = join(dir, 'applied');
    const r = await runCli(['apply', join(dir, 'plan'), '--out', out, ...FAST], { sim: first });
    expect(r.code).toBe(0);
    expect(await readJson(join(out, 'run.json'))).toMatchObject({ server: first.url });
  });
});
