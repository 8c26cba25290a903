import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BASELINE, baselineManifest, csvRows, lineCount, OP, POLICY, pollUntil, readResultsJson, readSummary, spawnCli, TARGET, tempDir, withSimulator } from '../kit/index.js';

type WriteRecord = { line: number; id: string; before: Record<string, unknown>; changed: string[] };

describe('the built binary: kill -9 while PUTs are in flight, then --resume', () => {
  const sim = withSimulator({ users: 20, seed: 5 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rows whose PUT the server applied but never answered are reported updated, with their old values in rollback.csv', async () => {
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 6);
    const inFlight = [users[2]!, users[4]!];
    // The server applies these two PUTs and never answers: the run is killed while it waits.
    for (const u of inFlight) sim.script('PUT', POLICY, [{ apply: true, hang: true }], { key: u });

    const run = spawnCli(['run', '--manifest', manifest, '--out', out, '--concurrency', '4', '--rate', '0', '--retries', '0'], { sim });
    await pollUntil(
      async () => (await lineCount(join(out, 'journal.ndjson'))) === 4 && inFlight.every((u) => sim.count('PUT', POLICY, u) === 1),
      'the four other rows journaled and both hanging PUTs received',
    );
    run.child.kill('SIGKILL');
    await run.exited;
    for (const u of inFlight) expect(sim.getFields(OP, u)).toMatchObject(TARGET); // applied, never confirmed

    // Every PUT was recorded before it went out, with the values it replaces.
    const writes = (await readFile(join(out, 'writes.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as WriteRecord);
    expect(writes.map((w) => w.id).sort()).toEqual([...users].sort());
    for (const w of writes) expect(w).toMatchObject({ before: BASELINE, changed: Object.keys(TARGET) });

    // The killed run could not remove its lock: the operator clears it, as the refused resume says (see interrupt-resume).
    await rm(join(out, 'odin-bulk.lock'));
    const resume = spawnCli(['run', '--manifest', manifest, '--resume', out, '--concurrency', '4', '--rate', '0'], { sim });
    expect((await resume.exited).code).toBe(0);

    const results = await readResultsJson(out);
    for (const u of inFlight) {
      const r = results.find((x) => x.userId === u) as (typeof results)[number] & { warnings?: string[] };
      expect(r).toMatchObject({ status: 'updated', before: BASELINE, after: TARGET });
      expect(r.warnings?.join(' ')).toMatch(/already as requested: the interrupted attempt's PUT had been applied/);
      expect(sim.count('PUT', POLICY, u)).toBe(1); // found done on resume: not written again
    }
    expect(await readSummary(out)).toMatchObject({ total: 6, updated: 6, unchanged: 0, failed: 0 });
    // rollback.csv undoes all six, the two the crash hid included, back to BASELINE.
    const rollback = await csvRows(join(out, 'rollback.csv'));
    const baselineCells = Object.values(BASELINE).map(String).join(',');
    expect(rollback.sort()).toEqual([...users].sort().map((u) => `${u},${baselineCells}`));
  });
});
