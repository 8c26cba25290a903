import { beforeAll, describe, expect, it } from '@jest/globals';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shardOf } from '../../../src/settings/shard.js';
import type { Simulator } from '../../../src/simulator/simulator.js';
import { clidManifest, range, readJson, runAgainst, runCli, simulators, tempDir } from '../../kit/index.js';

const OP = 'user-call-processing-policy';
const COUNT_KEYS = ['total', 'updated', 'unchanged', 'planned', 'failed', 'conflict', 'invalid', 'skipped', 'warnings', 'requests', 'retries', 'exitCode'];
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const text = (file: string) => readFile(file, 'utf8');
const journalRows = async (dir: string) =>
  (await text(join(dir, 'journal.ndjson'))).trim().split('\n').map((l) => JSON.parse(l) as { line: number; id: string; status: string });

/** The runs and plans merge-reports reads are made in this process (runAgainst): merge-reports is the command under test. */
const QUICK = { rate: 0, retries: 0, concurrency: 8 };

describe('merge-reports', () => {
  const startSimulator = simulators({ users: 30, record: false });
  // Two simulators in the same seeded state: one takes the three shard jobs, the other one unsharded run.
  let sharded: Simulator;
  let single: Simulator;
  let dir: string;
  const manifest = () => join(dir, 'users.csv');
  const shardDirs = () => [1, 2, 3].map((k) => join(dir, `shard-${k}`));

  beforeAll(async () => {
    [sharded, single] = await Promise.all([startSimulator(), startSimulator()]);
    for (const sim of [sharded, single]) sim.setFields(OP, 'user00005@sim.odin.test', { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID', emergencyClidPolicy: 'Use DN' });
    dir = await tempDir({
      'users.csv': clidManifest(range(1, 24), ['nobody@sim.odin.test,true,Use DN,Use DN', 'user00025@sim.odin.test,true,Use DN,Use DN']),
      'clean.csv': clidManifest(range(1, 24)),
    });
  });

  it('merging the three shard runs gives the same rows, counts and manifests as one unsharded run', async () => {
    const runs = await Promise.all(shardDirs().map((out, i) => runAgainst(sharded, { manifest: manifest(), shard: `${i + 1}/3`, out, ...QUICK })));
    const failedShard = shardOf('nobody@sim.odin.test', 3);
    expect(runs.map((r) => r.summary.exitCode)).toEqual([1, 2, 3].map((k) => (k === failedShard ? 1 : 0)));
    const whole = await runAgainst(single, { manifest: manifest(), out: join(dir, 'whole'), ...QUICK });
    expect(whole.summary.exitCode).toBe(1);

    const merged = join(dir, 'merged');
    const merge = await runCli(['merge-reports', ...shardDirs(), '--out', merged]);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(1); // recomputed: a row failed in one shard
    expect(merge.stdout).toContain(`Merged 3 report folders into ${merged}`);
    expect(merge.stdout).toMatch(/26 rows: 24 updated, 1 unchanged, 1 failed/);

    for (const file of ['results.csv', 'results.json', 'rollback.csv', 'failed.csv']) {
      expect({ file, text: await text(join(merged, file)) }).toEqual({ file, text: await text(join(dir, 'whole', file)) });
    }
    const summary = await readJson(join(merged, 'summary.json'));
    expect(pick(summary, COUNT_KEYS)).toEqual(pick(await readJson(join(dir, 'whole/summary.json')), COUNT_KEYS));
    const partSummaries = await Promise.all(shardDirs().map((d) => readJson(join(d, 'summary.json'))));
    expect(summary.durationMs).toBe(Math.max(...partSummaries.map((s) => s.durationMs)));
    expect(summary.requests).toBe(partSummaries.reduce((n, s) => n + s.requests, 0));
    expect((await text(join(merged, 'failed.csv'))).trim().split('\n')).toHaveLength(2); // header + nobody
    expect((await text(join(merged, 'rollback.csv'))).trim().split('\n')).toHaveLength(25); // header + 24 updated

    // The journal is the parts' journals one after the other: every row once.
    const journal = await journalRows(merged);
    const partJournals = (await Promise.all(shardDirs().map(journalRows))).flat();
    expect(journal).toEqual(partJournals);
    expect(journal.map((r) => r.line).sort((a, b) => a - b)).toEqual(range(2, 27));
    // So is the record of PUTs sent: one per updated row (the failed row failed at its GET).
    const partWrites = (await Promise.all(shardDirs().map((d) => text(join(d, 'writes.ndjson'))))).join('');
    expect(await text(join(merged, 'writes.ndjson'))).toBe(partWrites);
    expect(partWrites.trim().split('\n')).toHaveLength(24);

    const info = await readJson(join(merged, 'run.json'));
    expect(info).toMatchObject({ operation: OP, dryRun: false, manifest: manifest(), merged: { missingShards: [] } });
    expect(info.shard).toBeUndefined();
    expect(info.merged.parts.map((p: { dir: string; shard: unknown }) => [p.dir, p.shard])).toEqual(
      shardDirs().map((d, i) => [d, { index: i + 1, count: 3 }]),
    );
    // Nothing but the merged folder appeared beside it (the staging folder was renamed into place).
    expect((await readdir(dir)).filter((n) => n.includes('merg'))).toEqual(['merged']);
  });

  it('a sharded drift check merges to exit 5 when any shard found drift, and says which shards are missing', async () => {
    // The unsharded run has put `single` in the manifest's state; one user then drifts.
    single.setFields(OP, 'user00007@sim.odin.test', { clidPolicy: 'Use DN' });
    const plans = await Promise.all(
      [1, 2, 3].map((k) => runAgainst(single, { manifest: join(dir, 'clean.csv'), shard: `${k}/3`, dryRun: true, failOnChanges: true, out: join(dir, `drift-${k}`), ...QUICK })),
    );
    const driftShard = shardOf('user00007@sim.odin.test', 3);
    expect(plans.map((p) => p.summary.exitCode)).toEqual([1, 2, 3].map((k) => (k === driftShard ? 5 : 0)));

    const all = await runCli(['merge-reports', ...[1, 2, 3].map((k) => join(dir, `drift-${k}`)), '--out', join(dir, 'drift')]);
    expect(all.code).toBe(5);
    expect(all.stderr).toContain('1 row differ');
    expect(await readJson(join(dir, 'drift/summary.json'))).toMatchObject({ total: 24, planned: 1, unchanged: 23, exitCode: 5 });

    const others = [1, 2, 3].filter((k) => k !== driftShard);
    const partial = await runCli(['merge-reports', ...others.map((k) => join(dir, `drift-${k}`)), '--out', join(dir, 'drift-partial')]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain(`warning: no folder holds shard ${driftShard}/3`);
    expect(await readJson(join(dir, 'drift-partial/run.json'))).toMatchObject({ merged: { missingShards: [driftShard] } });
  });

  describe('refuses with exit 2 and writes nothing', () => {
    const refused = async (args: string[], message: string | RegExp) => {
      const out = join(dir, 'refused');
      const r = await runCli(['merge-reports', ...args, '--out', out]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
      expect((await readdir(dir)).filter((n) => n.includes('refused'))).toEqual([]);
    };
    const copyWith = async (from: string, name: string, change: (info: Record<string, any>) => void) => {
      const to = join(dir, name);
      await cp(from, to, { recursive: true });
      const info = await readJson(join(to, 'run.json'));
      change(info);
      await writeFile(join(to, 'run.json'), JSON.stringify(info));
      return to;
    };

    it('folders of different operations, or a plan with a run', async () => {
      const [s1, s2] = shardDirs() as [string, string];
      const otherOp = await copyWith(s2, 'other-op', (info) => (info.operation = 'user-call-forwarding-always'));
      await refused([s1, otherOp], /the folders are of different operations:\n\s+.*shard-1: user-call-processing-policy\n\s+.*other-op: user-call-forwarding-always/);
      const plan = await copyWith(s2, 'as-plan', (info) => (info.dryRun = true));
      await refused([s1, plan], /different kinds of run/);
    });

    it('a folder without run.json, or without results.json', async () => {
      const [s1, s2] = shardDirs() as [string, string];
      await refused([s1, dir], new RegExp(`${dir}: no run.json: not an odin-bulk report folder`));
      const unfinished = join(dir, 'unfinished');
      await cp(s2, unfinished, { recursive: true });
      await rm(join(unfinished, 'results.json'));
      await refused([s1, unfinished], /unfinished: no results.json: the run did not finish/);
    });

    it('the same shard twice, a whole run with a shard, folders whose rows overlap, a used --out', async () => {
      const [s1, s2, s3] = shardDirs() as [string, string, string];
      await refused([s1, s2, s1], /shard 1\/3 is in both .*shard-1 and .*shard-1/);
      await refused([s1, join(dir, 'whole')], /whole ran without --shard, the others with it/);
      // run.json claims shard 2, but the rows are shard 1's: caught by line while merging, and the partial folder is removed.
      const liar = await copyWith(s1, 'liar', (info) => (info.shard = { index: 2, count: 3 }));
      await refused([s1, liar, s3], /manifest line \d+ \(.*\) is in both .*shard-1 and .*liar: the folders overlap/);
      expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
      const used = await runCli(['merge-reports', s1, s2, s3, '--out', join(dir, 'merged')]);
      expect(used.code).toBe(2);
      expect(used.stderr).toContain('merged is not an empty folder');
    });
  });
});
