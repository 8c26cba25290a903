import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXIT, exitCodeFor, JobError } from '../../src/model/errors.js';
import { StopControl } from '../../src/engine/stop-control.js';
import { BASELINE, baselineManifest, csvRows, onWrites, OP, POLICY, pollUntil, readJournal, readResultsJson, readSummary, runAgainst, TARGET, tempDir, withSimulator } from '../kit/index.js';

describe('--resume', () => {
  const sim = withSimulator({ users: 400, seed: 3 });
  let root: string;
  beforeAll(async () => {
    root = await tempDir();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** An interrupted first attempt: stopped as the 15th PUT starts. */
  async function interrupted(name: string, n = 40) {
    const dir = join(root, name);
    const out = join(dir, 'out');
    await mkdir(dir);
    const { manifest, users } = await baselineManifest(sim, dir, n);
    const first = await runAgainst(sim, { manifest, out, concurrency: 4 }, { wrap: onWrites((count, _k, stop) => count === 15 && stop.stop('test interrupt')) });
    return { dir, out, manifest, users, first };
  }

  it('a journal written by an earlier version (its rows count "attempts") resumes; the reports say "requests"', async () => {
    const { out, manifest, first } = await interrupted('old-journal', 20);
    const journal = join(out, 'journal.ndjson');
    const text = await readFile(journal, 'utf8');
    expect(text).toContain('"requests":2');
    await writeFile(journal, text.replaceAll('"requests":', '"attempts":'));
    const second = await runAgainst(sim, { manifest, resume: out });
    expect(second.kept).toBe(first.summary.updated);
    const results = await readResultsJson(out);
    expect(results.every((r) => r.requests === 2 && !('attempts' in r))).toBe(true);
    expect((await readFile(join(out, 'results.csv'), 'utf8')).split('\n')[0]).toMatch(/^line,userId,status,requests,error,/);
  });

  it('an interrupted run resumes: each user PUT at most once, every row reported once, rollback covers both attempts', async () => {
    const { out, manifest, users, first } = await interrupted('basic');
    expect(first.summary.exitCode).toBe(EXIT.aborted);
    expect(first.stopReason).toBe('test interrupt');
    expect(first.summary.total).toBe(40);
    expect(first.summary.skipped).toBeGreaterThan(0);
    expect(first.summary.updated + first.summary.skipped).toBe(40);
    const updatedFirst = (await readResultsJson(out)).filter((r) => r.status === 'updated').map((r) => r.userId);
    expect(updatedFirst.length).toBe(first.summary.updated);

    const second = await runAgainst(sim, { manifest, resume: out, concurrency: 3 });
    expect(second.summary.exitCode).toBe(EXIT.ok);
    expect(second.stopReason).toBeUndefined();
    expect(second.kept).toBe(first.summary.updated);
    expect(second.summary).toMatchObject({ total: 40, updated: 40, skipped: 0, failed: 0 });
    expect(await readSummary(out)).toMatchObject({ total: 40, updated: 40, skipped: 0, exitCode: 0 });

    for (const u of users) {
      expect(sim.count('PUT', POLICY, u)).toBe(1);
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
    }
    // The second attempt read and wrote only the rows the first did not finish.
    for (const u of updatedFirst) expect(sim.count('GET', POLICY, u)).toBe(1);

    const results = await readResultsJson(out);
    expect(results.map((r) => r.userId)).toEqual(users); // manifest order, each row once
    expect(results.every((r) => r.status === 'updated')).toBe(true);
    expect(results.every((r) => JSON.stringify(r.before) === JSON.stringify(BASELINE))).toBe(true);
    expect(await csvRows(join(out, 'results.csv'))).toHaveLength(40);
    const rollback = await csvRows(join(out, 'rollback.csv'));
    expect(rollback).toHaveLength(40);
    expect(rollback).toContain(`${updatedFirst[0]},false,Use DN`);

    // The journal: the first attempt's finished rows, then one line per row the resume ran.
    const journal = await readJournal(out);
    const last = new Map(journal.map((j) => [j.line, j.status]));
    expect([...last.values()].every((s) => s === 'updated')).toBe(true);
    expect(journal.filter((j) => j.status === 'updated')).toHaveLength(40);
  });

  it('resuming a finished run sends nothing and writes the same reports', async () => {
    const { out, manifest } = await interrupted('finished');
    await runAgainst(sim, { manifest, resume: out });
    const before = await readFile(join(out, 'results.csv'), 'utf8');
    const total = sim.stats.total;
    const again = await runAgainst(sim, { manifest, resume: out });
    expect(sim.stats.total).toBe(total); // not even a login
    expect(again.summary).toMatchObject({ total: 40, updated: 40, requests: 0, exitCode: EXIT.ok });
    expect(again.kept).toBe(40);
    expect(await readFile(join(out, 'results.csv'), 'utf8')).toBe(before);
  });

  it('a row cut short in flight (aborted after the grace period) is redone on resume', async () => {
    const dir = join(root, 'abort');
    await mkdir(dir);
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 12);
    const victim = users[5]!;
    sim.script('PUT', POLICY, [{ hang: true }], { key: victim });
    const first = await runAgainst(sim, { manifest, out, concurrency: 2 }, {
      wrap: onWrites((_c, key, stop) => {
        if (key.userId === victim) setImmediate(() => stop.abortInFlight('test: grace period over'));
      }),
    });
    expect(first.summary.exitCode).toBe(EXIT.aborted);
    const cut = (await readResultsJson(out)).find((r) => r.userId === victim)!;
    expect(cut).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
    expect((await readJournal(out)).find((j) => j.id === victim)).toMatchObject({ status: 'failed', errorCode: 'INTERRUPTED' });

    const second = await runAgainst(sim, { manifest, resume: out });
    expect(second.summary).toMatchObject({ total: 12, failed: 0, skipped: 0, exitCode: EXIT.ok });
    // Another row aborted with the victim may have been written just before: the resume finds it unchanged.
    expect(second.summary.updated + second.summary.unchanged).toBe(12);
    expect((await readResultsJson(out)).find((r) => r.userId === victim)).toMatchObject({ status: 'updated', before: BASELINE, after: TARGET });
    for (const u of users) {
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
      // The hung PUT never reached the state; every other user was written at most once.
      expect(sim.count('PUT', POLICY, u)).toBeLessThanOrEqual(u === victim ? 2 : 1);
    }
  });

  it('a row waiting to retry when the requests are aborted is INTERRUPTED, not failed for good', async () => {
    const dir = join(root, 'backoff');
    await mkdir(dir);
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 3);
    sim.script('GET', POLICY, [503], { key: users[1] });
    const stop = new StopControl();
    const run = runAgainst(sim, { manifest, out, concurrency: 1, retries: 3 }, { stop, retryBaseMs: 60_000 });
    // Once the 503 is answered the client waits 30–60 s before its retry: abort it there.
    await pollUntil(() => sim.requests.some((r) => r.key === users[1] && r.status === 503), 'the 503 answer');
    stop.abortInFlight('test: grace period over');
    const first = await run;
    expect(first.summary).toMatchObject({ updated: 1, failed: 1, skipped: 1, exitCode: EXIT.aborted });
    expect((await readJournal(out)).find((j) => j.id === users[1])).toMatchObject({ status: 'failed', errorCode: 'INTERRUPTED' });
    const second = await runAgainst(sim, { manifest, resume: out });
    expect(second.summary).toMatchObject({ total: 3, updated: 3, exitCode: EXIT.ok });
  });

  it('plan --resume finishes an interrupted plan without writing anything', async () => {
    const dir = join(root, 'plan');
    await mkdir(dir);
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    let reads = 0;
    const first = await runAgainst(sim, { manifest, out, dryRun: true, concurrency: 2 }, {
      wrap: (client, stop) => ({
        ...client,
        stats: client.stats,
        read: (...args) => (++reads === 10 && stop.stop('test interrupt'), client.read(...args)),
      }),
    });
    expect(first.summary.exitCode).toBe(EXIT.aborted);
    expect(first.summary.skipped).toBeGreaterThan(0);
    const second = await runAgainst(sim, { manifest, resume: out, dryRun: true });
    expect(second.summary).toMatchObject({ total: 30, planned: 30, skipped: 0, exitCode: EXIT.ok });
    for (const u of users) {
      expect(sim.count('GET', POLICY, u)).toBe(1);
      expect(sim.count('PUT', POLICY, u)).toBe(0);
    }
  });

  describe('refusals: exit 2, nothing sent, nothing changed', () => {
    async function refused(flags: Parameters<typeof runAgainst>[1], message: RegExp): Promise<JobError> {
      const total = sim.stats.total;
      const error = await runAgainst(sim, flags).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(JobError);
      expect(exitCodeFor(error)).toBe(EXIT.invalidInput);
      expect((error as JobError).message).toMatch(message);
      expect(sim.stats.total).toBe(total);
      return error as JobError;
    }

    it('a changed manifest (hash differs)', async () => {
      const { out, manifest } = await interrupted('changed');
      const journal = await readFile(join(out, 'journal.ndjson'), 'utf8');
      await appendFile(manifest, `${sim.userIds()[399]},true,Use DN\n`);
      const error = await refused({ manifest, resume: out }, /the manifest changed since that run started/);
      expect(error.code).toBe('ERESUME');
      expect(error.details.join('\n')).toMatch(/restore the manifest exactly as it was and resume/);
      expect(await readFile(join(out, 'journal.ndjson'), 'utf8')).toBe(journal);
    });

    it('another operation, or plan versus run', async () => {
      const { out, manifest } = await interrupted('mode');
      const info = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
      await refused({ manifest, resume: out, dryRun: true }, /cannot resume .* with `odin-bulk plan`: it holds an `odin-bulk run`/);
      await refused({ manifest, resume: out, shard: '1/2' }, /it ran with no --shard, this command has --shard 1\/2/);
      await writeFile(join(out, 'run.json'), JSON.stringify({ ...info, operation: 'group-call-processing-policy' }));
      await refused({ manifest, resume: out }, /it ran operation group-call-processing-policy, this command asks for user-call-processing-policy/);
      await writeFile(join(out, 'run.json'), JSON.stringify({ ...info, defaults: { useUserCLIDSetting: false } }));
      await refused({ manifest, resume: out }, /the defaults applied to every row changed/);
    });

    it('a folder without run.json or journal, and a damaged journal', async () => {
      const { out, manifest } = await interrupted('broken');
      await refused({ manifest, resume: join(root, 'nowhere') }, /has no readable run.json/);
      const journal = await readFile(join(out, 'journal.ndjson'), 'utf8');
      await writeFile(join(out, 'journal.ndjson'), 'garbage\n' + journal);
      await refused({ manifest, resume: out }, /line 1 of the journal is damaged: not JSON/);
      await rm(join(out, 'journal.ndjson'));
      await refused({ manifest, resume: out }, /has no journal.ndjson/);
      // A run.json that is JSON but not a whole one (hand-made, or cut down) is not trusted either.
      await writeFile(join(out, 'run.json'), '{"version": 1}\n');
      await refused({ manifest, resume: out }, /has no readable run.json \(missing or damaged\)/);
    });

    it('a used report folder without --resume says how to resume it', async () => {
      const { out, manifest } = await interrupted('used');
      const error = await runAgainst(sim, { manifest, out }).catch((e: JobError) => e);
      expect(error).toMatchObject({ code: 'EINPUT', message: expect.stringContaining('is not empty') });
      expect((error as JobError).details[0]).toBe(`To continue the run that wrote it, add --resume ${out} (and leave --out off).`);
    });
  });
});
