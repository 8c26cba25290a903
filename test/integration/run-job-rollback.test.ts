import { beforeEach, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fields } from '../../src/operations/types.js';
import { OP, POLICY, readCsvRecords, readResultsJson, runTestJob, simUsers, tempDir, testJobOptions, withSimulator } from '../kit/index.js';

const sim = withSimulator({ users: 20 }, { each: true });
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

const [U1, U2, U3, U4, U5] = simUsers(5);
const snapshot = (users: string[]): Record<string, Fields> => Object.fromEntries(users.map((u) => [u, sim.getFields(OP, u)!]));

describe('rollback.csv', () => {
  it('run as a job, restores the original state exactly (nulls, formula-like text and all)', async () => {
    sim.setFields(OP, U1, { useUserMediaSetting: true, mediaPolicySelection: 'No Restrictions', supportedMediaSetName: null });
    sim.setFields(OP, U2, { useUserMediaSetting: true, mediaPolicySelection: 'Use Supported Media Set', supportedMediaSetName: '+Wideband' });
    sim.setFields(OP, U3, { useUserMediaSetting: false, mediaPolicySelection: 'Use Uncompressed Codec', supportedMediaSetName: 'Old, Set' });
    sim.setFields(OP, U4, { useUserMediaSetting: true, mediaPolicySelection: 'No Restrictions', supportedMediaSetName: null }); // already as asked
    sim.setFields(OP, U5, { useUserMediaSetting: true });
    const users = [U1, U2, U3, U4, U5];
    const original = snapshot(users);
    const manifest = join(dir, 'media.json');
    await writeFile(
      manifest,
      JSON.stringify({
        defaults: { useUserMediaSetting: true },
        rows: [
          { userId: U1, mediaPolicySelection: 'Use Supported Media Set', supportedMediaSetName: 'HD-Voice' },
          { userId: U2, mediaPolicySelection: 'No Restrictions', supportedMediaSetName: null },
          { userId: U3, mediaPolicySelection: 'Use Supported Media Set', supportedMediaSetName: '=Narrowband' },
          { userId: U4, mediaPolicySelection: 'No Restrictions', supportedMediaSetName: null },
          { userId: U5, maxRedirectionDepth: (original[U5]!.maxRedirectionDepth as number) === 3 ? 4 : 3 },
        ],
      }),
    );

    const first = await runTestJob(sim, testJobOptions(manifest, join(dir, 'run')));
    expect(first.summary).toMatchObject({ updated: 4, unchanged: 1, failed: 0 });
    expect(snapshot(users)).not.toEqual(original);

    const rollback = join(dir, 'run', 'rollback.csv');
    expect((await readCsvRecords(rollback)).map((r) => r.userId)).toEqual([U1, U2, U3, U5]); // only rows that changed something
    const undo = await runTestJob(sim, testJobOptions(rollback, join(dir, 'undo')));

    expect(undo.summary).toMatchObject({ total: 4, updated: 4, failed: 0, exitCode: 0 });
    expect(snapshot(users)).toEqual(original);
    // Fields a row did not change are left alone by the rollback: its PUTs carry only what the run changed.
    const undoPut = sim.requests.filter((r) => r.method === 'PUT' && r.path === POLICY && r.key === U5).at(-1);
    expect(undoPut?.body).toEqual({ userId: U5, maxRedirectionDepth: original[U5]!.maxRedirectionDepth });
  });
});

describe('failed.csv', () => {
  it('is a manifest of the failed rows that runs as it is', async () => {
    sim.setFields(OP, U2, { useUserMediaSetting: true, supportedMediaSetName: 'Old-Set', maxRedirectionDepth: 10 });
    sim.script('PUT', POLICY, [503, 503], { key: U2 });
    const manifest = join(dir, 'm.json');
    const rows = [
      { userId: U1, useGroupName: !sim.getFields(OP, U1)!.useGroupName },
      { userId: U2, supportedMediaSetName: null, maxRedirectionDepth: 20, mediaPolicySelection: '' },
      { userId: 'ghost@sim.odin.test', useGroupName: true },
    ];
    await writeFile(manifest, JSON.stringify(rows));

    const first = await runTestJob(sim, testJobOptions(manifest, join(dir, 'run'), { retries: 1 }));
    expect((await readResultsJson(join(dir, 'run'))).map((r) => r.status)).toEqual(['updated', 'failed', 'failed']);
    expect(first.summary.exitCode).toBe(1);

    const failed = join(dir, 'run', 'failed.csv');
    expect((await readCsvRecords(failed)).map((r) => r.userId)).toEqual([U2, 'ghost@sim.odin.test']);
    const again = await runTestJob(sim, testJobOptions(failed, join(dir, 'again')));

    const results = await readResultsJson(join(dir, 'again'));
    expect(results.map((r) => [r.userId, r.status])).toEqual([[U2, 'updated'], ['ghost@sim.odin.test', 'failed']]);
    expect(results[0]!.requested).toEqual({ supportedMediaSetName: null, maxRedirectionDepth: 20 });
    expect(sim.getFields(OP, U2)).toMatchObject({ supportedMediaSetName: null, maxRedirectionDepth: 20 });
    expect(again.summary).toMatchObject({ updated: 1, failed: 1 });
  });
});
