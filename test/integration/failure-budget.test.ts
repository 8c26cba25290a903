import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { EXIT } from '../../src/model/errors.js';
import { baselineManifest, OP, POLICY, readResultsJson, readSummary, runAgainst, TARGET, tempDir, withSimulator } from '../kit/index.js';

const NO_FAULTS = { errorRate: 0, latencyMs: 0 };

describe('failure budget and systemic failures', () => {
  const sim = withSimulator({ users: 800, seed: 5 });
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
  afterEach(() => sim.setFaults(NO_FAULTS));
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a server failing every request (errorRate 1) stops the run after a few rows, not 200', async () => {
    const dir = await caseDir();
    const { manifest } = await baselineManifest(sim, dir, 200);
    sim.setFaults({ errorRate: 1 });
    sim.resetStats();
    const out = join(dir, 'out');
    const outcome = await runAgainst(sim, { manifest, out, concurrency: 4, retries: 1 });
    expect(outcome.summary.exitCode).toBe(EXIT.aborted);
    expect(outcome.stopReason).toMatch(/^systemic failure: the last 8 rows all failed \(HTTP 50[03](, HTTP 50[03])?\): the server is down or failing/);
    // streak 8 + at most 2 × concurrency rows already started or queued, 2 attempts each
    const started = outcome.summary.failed;
    expect(started).toBeGreaterThanOrEqual(8);
    expect(started).toBeLessThanOrEqual(8 + 8);
    expect(outcome.summary.skipped).toBe(200 - started);
    expect(sim.count('GET', POLICY)).toBeLessThanOrEqual(2 * 16);
    expect(sim.count('PUT', POLICY)).toBe(0);
    const results = await readResultsJson(out);
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.status === 'skipped').every((r) => r.error?.startsWith('not started: systemic failure'))).toBe(true);
    expect(await readSummary(out)).toMatchObject({ total: 200, skipped: 200 - started, exitCode: EXIT.aborted });
  });

  it('past the default budget (10 % once 20 rows are done) the run stops; untried rows are skipped', async () => {
    const dir = await caseDir();
    const { manifest, users } = await baselineManifest(sim, dir, 100);
    // Every third row names a user that does not exist: 404, a failure of that row only.
    const rows = users.map((u, i) => `${i % 3 === 2 ? `ghost${i}@sim.odin.test` : u},${Object.values(TARGET).join(',')}`);
    await writeFile(manifest, `userId,${Object.keys(TARGET).join(',')}\n${rows.join('\n')}\n`);
    const out = join(dir, 'out');
    const outcome = await runAgainst(sim, { manifest, out, concurrency: 2 });
    expect(outcome.summary.exitCode).toBe(EXIT.aborted);
    expect(outcome.stopReason).toMatch(/^failure budget exceeded: \d+ of \d+ finished rows failed \(\d+(\.\d)?%\), more than the 10% allowed \(--max-failures\)$/);
    expect(outcome.summary.failed).toBeGreaterThanOrEqual(7);
    expect(outcome.summary.skipped).toBeGreaterThan(60);
    expect(outcome.summary.total).toBe(100);
    const skipped = (await readResultsJson(out)).filter((r) => r.status === 'skipped');
    expect(skipped.length).toBe(outcome.summary.skipped);
    for (const r of skipped) expect(sim.count('GET', POLICY, r.userId)).toBe(0);
  });

  it('--max-failures N stops on the (N+1)th failed row; 100% never stops', async () => {
    const dir = await caseDir();
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    for (const u of users.slice(0, 6)) sim.script('GET', POLICY, [400], { key: u });
    const counted = await runAgainst(sim, { manifest, out: join(dir, 'a'), concurrency: 1, maxFailures: '2' });
    expect(counted.summary).toMatchObject({ failed: 3, skipped: 27, exitCode: EXIT.aborted });
    expect(counted.stopReason).toBe('failure budget exceeded: 3 rows failed, more than the 2 allowed (--max-failures)');

    const dir2 = await caseDir();
    const second = await baselineManifest(sim, dir2, 30);
    for (const u of second.users.slice(0, 6)) sim.script('GET', POLICY, [400], { key: u });
    const unlimited = await runAgainst(sim, { manifest: second.manifest, out: join(dir2, 'b'), concurrency: 1, maxFailures: '100%' });
    expect(unlimited.summary).toMatchObject({ failed: 6, updated: 24, skipped: 0, exitCode: EXIT.rowsFailed });
    expect(unlimited.stopReason).toBeUndefined();
  });

  it('authentication refused even after a fresh login stops the run at once', async () => {
    const dir = await caseDir();
    const { manifest, users } = await baselineManifest(sim, dir, 40);
    sim.script('GET', POLICY, [401, 401], { key: users[3] });
    const outcome = await runAgainst(sim, { manifest, out: join(dir, 'out'), concurrency: 1 });
    expect(outcome.summary.exitCode).toBe(EXIT.aborted);
    expect(outcome.stopReason).toContain(`systemic failure: line 5 (${users[3]}) was refused with HTTP 401 even after logging in again`);
    expect(outcome.summary).toMatchObject({ updated: 3, failed: 1, skipped: 36 });
  });

  it('a run stopped by the budget resumes once the cause is fixed', async () => {
    const dir = await caseDir();
    const { manifest, users } = await baselineManifest(sim, dir, 60);
    sim.setFaults({ errorRate: 1 });
    const out = join(dir, 'out');
    const first = await runAgainst(sim, { manifest, out, concurrency: 2, retries: 0 });
    expect(first.stopReason).toMatch(/^systemic failure/);
    sim.setFaults({ errorRate: 0 });
    const second = await runAgainst(sim, { manifest, resume: out, concurrency: 2 });
    // Rows that failed stay failed (finished rows are not sent again); the skipped ones ran now.
    expect(second.summary).toMatchObject({ total: 60, failed: first.summary.failed, updated: 60 - first.summary.failed, skipped: 0, exitCode: EXIT.rowsFailed });
    for (const u of users) expect(sim.count('PUT', POLICY, u)).toBeLessThanOrEqual(1);
    expect(users.filter((u) => sim.getFields(OP, u)?.clidPolicy === TARGET.clidPolicy)).toHaveLength(60 - first.summary.failed);

    // --retry-failed redoes them.
    const third = await runAgainst(sim, { manifest, resume: out, retryFailed: true });
    expect(third.kept).toBe(60 - first.summary.failed);
    expect(third.summary).toMatchObject({ total: 60, updated: 60, failed: 0, exitCode: EXIT.ok });
    for (const u of users) {
      expect(sim.count('PUT', POLICY, u)).toBe(1);
      expect(sim.getFields(OP, u)).toMatchObject(TARGET);
    }
  });
});
