import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseShard, shardOf } from '../../../src/settings/shard.js';
import { clidManifest, FAST, odinEnv, range, readJson, runCli, tempDir, withSimulator } from '../../kit/index.js';

const POLICY = '/users/call-processing-policy';
const userId = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;

describe('--shard K/N', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/3', { index: 2, count: 3 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
    ['0/3', /K in K\/N must be from 1 to N \(3\), got 0/],
    ['4/3', /K in K\/N must be from 1 to N \(3\), got 4/],
    ['1/0', /N in K\/N must be from 1 to/],
    ['2', /expected K\/N, e.g. 2\/3/],
    ['a/b', /expected K\/N/],
    ['-1/3', /expected K\/N/],
  ])('parses %j', (text, expected) => {
    const parsed = parseShard(text);
    if (expected instanceof RegExp) expect('problem' in parsed && parsed.problem).toMatch(expected);
    else expect(parsed).toEqual(expected);
  });

  it('assigns ids by a stable hash, spread evenly, whatever order the rows come in', () => {
    const ids = range(1, 3000).map(userId);
    const sizes = [0, 0, 0];
    for (const id of ids) sizes[shardOf(id, 3) - 1]!++;
    for (const size of sizes) expect(size).toBeGreaterThan(900); // 1,000 each if perfectly even
    // Pinned (sha1 of the id, first 48 bits, mod N, plus 1): a change of hash would silently re-split every running matrix.
    expect(['user00001@sim.odin.test', 'user00002@sim.odin.test', 'a@b.c'].map((id) => shardOf(id, 3))).toEqual([3, 3, 2]);
    expect(shardOf('a@b.c', 1)).toBe(1);
    expect(shardOf('user00001@sim.odin.test', 1000)).toBe(142);
    expect(ids.reverse().map((id) => shardOf(id, 7))).toEqual(ids.map((id) => shardOf(id, 7)));
  });

  describe('against the simulator, through the CLI', () => {
    const sim = withSimulator({ users: 40, record: false });
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      env = odinEnv(sim);
      dir = await tempDir({
        'users.csv': clidManifest(range(1, 30)),
        'duplicate.csv': clidManifest([...range(1, 10), 4]),
      });
    });

    it('three shards partition the rows: their union is every row and no row is in two', async () => {
      const runs = await Promise.all(
        // (A progress line even for so short a run, to see what it counts to.)
        [1, 2, 3].map((k) => runCli(['plan', '--manifest', join(dir, 'users.csv'), '--shard', `${k}/3`, '--out', join(dir, `s${k}`), '--progress-interval', '0.01', ...FAST], { env })),
      );
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
      const parts = await Promise.all([1, 2, 3].map((k) => readJson<{ line: number; userId: string }[]>(join(dir, `s${k}/results.json`))));
      const lines = parts.map((rows) => rows.map((r) => r.line));
      for (const part of lines) expect(part.length).toBeGreaterThan(0);
      const all = lines.flat();
      expect(new Set(all).size).toBe(all.length); // no overlap
      expect([...all].sort((a, b) => a - b)).toEqual(range(2, 31)); // no gap: manifest lines 2..31
      // Each row is where the hash says, each part stays in manifest order, and run.json records the shard.
      parts.forEach((rows, i) => {
        for (const r of rows) expect(shardOf(r.userId, 3)).toBe(i + 1);
        expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((a, b) => a - b));
      });
      for (const k of [1, 2, 3]) {
        expect(await readJson(join(dir, `s${k}/run.json`))).toMatchObject({ shard: { index: k, count: 3 } });
        expect(await readJson(join(dir, `s${k}/summary.json`))).toMatchObject({ total: parts[k - 1]!.length });
        // The progress counts to the shard's rows, not the whole manifest's.
        const n = parts[k - 1]!.length;
        expect(runs[k - 1]!.stderr).toContain(`${n}/${n} rows done`);
      }
      // Each user was read exactly once across the three jobs: rows outside a shard are not touched.
      for (const n of range(1, 30)) expect(sim.count('GET', POLICY, userId(n))).toBe(1);
    });

    it('still validates the whole manifest: a duplicate in another shard stops every shard (exit 2), nothing sent', async () => {
      const dupShard = shardOf(userId(4), 3);
      const other = [1, 2, 3].find((k) => k !== dupShard)!;
      const gets = sim.count('GET', POLICY);
      for (const k of [dupShard, other]) {
        const r = await runCli(['plan', '--manifest', join(dir, 'duplicate.csv'), '--shard', `${k}/3`, '--out', join(dir, `dup${k}`), ...FAST], { env });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('duplicate userId "user00004@sim.odin.test", first seen on line 5');
      }
      expect(sim.count('GET', POLICY)).toBe(gets);
    });

    it('refuses a malformed --shard with exit 2', async () => {
      const r = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--shard', '4/3'], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('command line --shard: K in K/N must be from 1 to N (3), got 4');
    });
  });
});
