import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callLimitsManifest, lineCount, pollUntil, runCli, simUser, tempDir, withSimulator } from '../../kit/index.js';

const POLICY = '/users/call-processing-policy';

describe('reports under concurrency (built binary)', () => {
  const sim = withSimulator({ users: 100, latencyMs: 2, latencyJitterMs: 20, seed: 7, record: false });

  it('keep manifest order in results.csv, results.json and rollback.csv while rows finish out of order', async () => {
    const dir = await tempDir();
    const rows = 40;
    const manifest = await callLimitsManifest(dir, rows, 777);
    const out = join(dir, 'report');
    // The first two rows' reads are held back until every other row is in the journal (then row 2, then row 1):
    // they finish last, in that order, for certain, whatever the machine's load.
    const journaled = (n: number) => pollUntil(async () => (await lineCount(join(out, 'journal.ndjson'))) >= n, `${n} rows in the journal`, 60_000);
    sim.script('GET', POLICY, [{ until: journaled(rows - 2) }], { key: simUser(2) });
    sim.script('GET', POLICY, [{ until: journaled(rows - 1) }], { key: simUser(1) });
    const res = await runCli(['run', '--manifest', manifest, '--concurrency', '8', '--rate', '0', '--out', out], { sim, cwd: dir });
    expect(res.code).toBe(0);

    const expected = Array.from({ length: rows }, (_, i) => simUser(i + 1));
    const csvIds = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    expect(csvIds(await readFile(join(out, 'results.csv'), 'utf8'))).toEqual(expected);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { userId: string; line: number }[];
    expect(json.map((r) => r.userId)).toEqual(expected);
    expect(json.map((r) => r.line)).toEqual(expected.map((_, i) => i + 2));
    const rollbackIds = (await readFile(join(out, 'rollback.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(rollbackIds).toEqual(expected);

    // The journal is in completion order: the held-back rows really did finish last.
    const journal = (await readFile(join(out, 'journal.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).id as string);
    expect(journal).toHaveLength(rows);
    expect(journal.slice(-2)).toEqual([simUser(2), simUser(1)]);
  });
});
