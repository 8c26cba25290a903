import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { baselineManifest, csvRows, lineCount, OP, POLICY, pollUntil, readJournal, readResultsJson, readSummary, spawnCli, TARGET, tempDir, withSimulator } from '../kit/index.js';

const exists = (file: string) => access(file).then(() => true, () => false);

describe('the built binary: kill -9, Ctrl-C, --resume', () => {
  const sim = withSimulator({ users: 600, seed: 9 });
  let root: string;
  let n = 0;
  const caseDir = async () => {
    const dir = join(root, `case-${++n}`);
    await mkdir(dir);
    return dir;
  };
  beforeAll(async () => {
    root = await tempDir();
  });
  afterEach(() => sim.setFaults({ latencyMs: 0 }));
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('kill -9 mid-run, then --resume: the simulator ends as the manifest says, no user written twice, every row reported once', async () => {
    const dir = await caseDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 150);
    sim.setFaults({ latencyMs: 40 });
    const run = spawnCli(['run', '--manifest', manifest, '--out', out, '--concurrency', '4', '--rate', '0', '--retries', '0'], { sim });
    await pollUntil(async () => (await lineCount(join(out, 'journal.ndjson'))) >= 20, 'the journal to have 20 lines');
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const journaled = await lineCount(join(out, 'journal.ndjson'));
    expect(journaled).toBeLessThan(150); // killed mid-run
    expect(await exists(join(out, 'summary.json'))).toBe(false); // no reports: the process died

    sim.setFaults({ latencyMs: 0 });
    // The killed run left its lock: a resume names it and how to clear it, and sends nothing.
    const args = ['run', '--manifest', manifest, '--resume', out, '--concurrency', '4', '--rate', '0'];
    const requests = sim.stats.total;
    const refused = spawnCli(args, { sim });
    expect((await refused.exited).code).toBe(2);
    expect(refused.stderr()).toContain(`EINPUT: report folder ${out} is locked by a run that is no longer running (pid ${run.child.pid}, \`odin-bulk run\` started `);
    expect(refused.stderr()).toContain(`remove the stale lock: rm ${join(out, 'odin-bulk.lock')}\n`);
    expect(sim.stats.total).toBe(requests);
    await rm(join(out, 'odin-bulk.lock'));
    const resume = spawnCli(args, { sim });
    const { code } = await resume.exited;
    expect(resume.stderr()).toContain(`Resuming ${out}: `);
    expect(code).toBe(0);

    for (const u of users) {
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
      // A row in flight at the kill may have been written, then found unchanged on resume: never written twice.
      expect(sim.count('PUT', POLICY, u)).toBeLessThanOrEqual(1);
    }
    const results = await readResultsJson(out);
    expect(results.map((r) => r.userId)).toEqual(users);
    expect(results.every((r) => r.status === 'updated' || r.status === 'unchanged')).toBe(true);
    const summary = await readSummary(out);
    expect(summary).toMatchObject({ total: 150, failed: 0, skipped: 0, exitCode: 0 });
    expect(summary.updated! + summary.unchanged!).toBe(150);
    // Every user changed by either attempt is in the rollback file exactly once.
    const rollback = (await csvRows(join(out, 'rollback.csv'))).map((l) => l.split(',')[0]);
    expect(new Set(rollback).size).toBe(rollback.length);
    expect(rollback.length).toBe(summary.updated);
  });

  it('Ctrl-C: rows in flight finish, reports are written, exit 4, and the printed --resume command finishes the run', async () => {
    const dir = await caseDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 120);
    sim.setFaults({ latencyMs: 30 });
    const args = ['run', '-m', manifest, '-o', out, '-c', '3', '--rate', '0', '--max-failures', '5%', '--progress-interval', '0.05'];
    const run = spawnCli(args, { sim });
    await pollUntil(async () => (await lineCount(join(out, 'journal.ndjson'))) >= 10, 'the journal to have 10 lines');
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(4);
    const expected = `odin-bulk run -m ${manifest} -c 3 --rate 0 --max-failures 5% --progress-interval 0.05 --resume ${out}`;
    expect(run.stderr()).toContain('SIGINT: stopping. No new rows start');
    expect(run.stderr()).toContain('Stopped early: interrupted by SIGINT.');
    expect(run.stderr()).toContain(`\n  ${expected}\n`);
    const summary = await readSummary(out);
    expect(summary).toMatchObject({ total: 120, exitCode: 4, failed: 0 });
    expect(summary.skipped).toBeGreaterThan(0);
    expect(summary.updated! + summary.skipped!).toBe(120); // nothing cut short: in-flight rows finished
    // The last progress line counts the rows that ran and the rows never started apart: never "120/120 rows done".
    const last = run.stderr().split('\n').filter((l) => l.startsWith('progress: ')).at(-1);
    expect(last).toMatch(new RegExp(`^progress: ${summary.updated}/120 rows finished, ${summary.skipped} skipped \\(not started\\) in `));
    expect(await readResultsJson(out)).toHaveLength(120);
    expect(await exists(join(out, 'odin-bulk.lock'))).toBe(false); // released on the way out

    sim.setFaults({ latencyMs: 0 });
    const resume = spawnCli(expected.split(' ').slice(1), { sim });
    expect((await resume.exited).code).toBe(0);
    expect(await readSummary(out)).toMatchObject({ total: 120, updated: 120, skipped: 0, exitCode: 0 });
    for (const u of users) expect(sim.count('PUT', POLICY, u)).toBe(1);
  });

  it('a second Ctrl-C quits at once (exit 130) with the journal intact', async () => {
    const dir = await caseDir();
    const out = join(dir, 'out');
    const { manifest } = await baselineManifest(sim, dir, 20);
    sim.setFaults({ latencyMs: 60_000 }); // every request hangs: only a second Ctrl-C ends this quickly
    const run = spawnCli(['plan', '-m', manifest, '-o', out, '-c', '2', '--rate', '0'], { sim });
    await pollUntil(() => sim.stats.inFlight >= 2, 'two requests in flight');
    run.child.kill('SIGINT');
    await pollUntil(() => run.stderr().includes('SIGINT: stopping'), 'the first Ctrl-C to be acknowledged');
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    expect(run.stderr()).toContain(`SIGINT again: quitting now, without writing the reports. The journal is intact. Resume with:\n  odin-bulk plan -m ${manifest} -c 2 --rate 0 --resume ${out}\n`);
    expect(await readJournal(out)).toEqual([]); // nothing finished, nothing half-written
    expect(await exists(join(out, 'run.json'))).toBe(true);
    expect(await exists(join(out, 'summary.json'))).toBe(false);
    expect(await exists(join(out, 'odin-bulk.lock'))).toBe(false); // removed even by process.exit
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8'))).toMatchObject({ dryRun: true });
  });
});
