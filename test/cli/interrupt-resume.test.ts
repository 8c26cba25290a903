import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { baselineManifest, csvRows, lineCount, OP, POLICY, pollUntil, readJournal, readResultsJson, readSummary, spawnCli, TARGET, tempDir, withSimulator } from '../kit/index.js';

const exists = (file: string) => access(file).then(() => true, () => false);

describe('the built binary: kill -9, Ctrl-C, --resume', () => {
  const sim = withSimulator({ users: 100, seed: 9 });
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
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    // The PUTs of rows 13 to 16 are held until after the kill, then done by the server (as a request in flight at
    // a kill may be, its answer lost): with 4 rows at a time these fill every slot, so the kill lands with 12 rows finished, 4 in
    // flight (written, unanswered) and 14 not started.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = users.slice(12, 16);
    for (const u of held) sim.script('PUT', POLICY, [{ until: gate, apply: true }], { key: u });
    const run = spawnCli(['run', '--manifest', manifest, '--out', out, '--concurrency', '4', '--rate', '0', '--retries', '0'], { sim });
    await pollUntil(async () => held.every((u) => sim.count('PUT', POLICY, u) === 1) && (await lineCount(join(out, 'journal.ndjson'))) >= 12, 'four rows in flight');
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const journaled = await lineCount(join(out, 'journal.ndjson'));
    expect(journaled).toBeLessThan(30); // killed mid-run
    expect(await exists(join(out, 'summary.json'))).toBe(false); // no reports: the process died
    release();
    await pollUntil(() => held.every((u) => sim.getFields(OP, u)!.clidPolicy === TARGET.clidPolicy), 'the held writes to be done');

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
    expect(summary).toMatchObject({ total: 30, failed: 0, skipped: 0, exitCode: 0 });
    expect(summary.updated! + summary.unchanged!).toBe(30);
    // The rows whose PUT was in flight at the kill (done by the server, never answered): writes.ndjson tells the
    // resume it was sent, so they are reported as updated (written once), and the rollback file has them.
    for (const u of held) expect([u, results.find((r) => r.userId === u)!.status]).toEqual([u, 'updated']);
    // Every user changed by either attempt is in the rollback file exactly once.
    const rollback = (await csvRows(join(out, 'rollback.csv'))).map((l) => l.split(',')[0]);
    expect(new Set(rollback).size).toBe(rollback.length);
    expect(rollback.length).toBe(summary.updated);
    expect(rollback).toEqual(expect.arrayContaining(held));
  });

  it('Ctrl-C: rows in flight finish, reports are written, exit 4, and the printed --resume command finishes the run', async () => {
    const dir = await caseDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    // The reads of rows 11 to 13 are held until the Ctrl-C is acknowledged: with 3 rows at a time, it comes with
    // 10 rows finished and these 3 in flight, which must finish; the other 17 must not start.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = users.slice(10, 13);
    for (const u of held) sim.script('GET', POLICY, [{ until: gate }], { key: u });
    const args = ['run', '-m', manifest, '-o', out, '-c', '3', '--rate', '0', '--max-failures', '5%', '--progress-interval', '0.05'];
    const run = spawnCli(args, { sim });
    // A progress line, too: the run then prints its closing one (a run shorter than one interval prints none).
    const inFlight = async () => held.every((u) => sim.count('GET', POLICY, u) === 1) && (await lineCount(join(out, 'journal.ndjson'))) >= 10 && run.stderr().includes('progress: ');
    await pollUntil(inFlight, 'three rows in flight and a progress line');
    run.child.kill('SIGINT');
    await pollUntil(() => run.stderr().includes('SIGINT: stopping'), 'the Ctrl-C to be acknowledged');
    release();
    const { code } = await run.exited;
    expect(code).toBe(4);
    const expected = `odin-bulk run -m ${manifest} -c 3 --rate 0 --max-failures 5% --progress-interval 0.05 --resume ${out}`;
    expect(run.stderr()).toContain('SIGINT: stopping. No new rows start');
    expect(run.stderr()).toContain('Stopped early: interrupted by SIGINT.');
    expect(run.stderr()).toContain(`\n  ${expected}\n`);
    const summary = await readSummary(out);
    expect(summary).toMatchObject({ total: 30, exitCode: 4, failed: 0 });
    expect(summary.skipped).toBeGreaterThan(0);
    expect(summary.updated! + summary.skipped!).toBe(30); // nothing cut short: in-flight rows finished
    const results = await readResultsJson(out);
    for (const u of held) expect([u, results.find((r) => r.userId === u)!.status]).toEqual([u, 'updated']);
    // The last progress line counts the rows that ran and the rows never started apart: never "30/30 rows done".
    const last = run.stderr().split('\n').filter((l) => l.startsWith('progress: ')).at(-1);
    expect(last).toMatch(new RegExp(`^progress: ${summary.updated}/30 rows finished, ${summary.skipped} skipped \\(not started\\) in `));
    expect(results).toHaveLength(30);
    expect(await exists(join(out, 'odin-bulk.lock'))).toBe(false); // released on the way out

    const resume = spawnCli(expected.split(' ').slice(1), { sim });
    expect((await resume.exited).code).toBe(0);
    expect(await readSummary(out)).toMatchObject({ total: 30, updated: 30, skipped: 0, exitCode: 0 });
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
