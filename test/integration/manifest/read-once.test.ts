import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OdinClient } from '../../../src/client/odin-client.js';
import { READ_ONCE_LIMIT, type ReadOnceLimit } from '../../../src/manifest/read-once.js';
import type { RowTarget } from '../../../src/model/row-result.js';
import type { JobError } from '../../../src/model/errors.js';
import { userCallProcessingPolicy } from '../../../src/operations/user-call-processing-policy.js';
import { checkInput } from '../../../src/sources/job-input.js';
import { checkManifestTargets } from '../../../src/sources/manifest-targets.js';
import type { CheckedInput } from '../../../src/sources/checked-input.js';
import { BASELINE, OP, pollUntil, readJson, runTestJob, simUser, TARGET, tempDir, testJobOptions, withSimulator } from '../../kit/index.js';

/*
 * A manifest within READ_ONCE_LIMIT is read once: the run sends the rows validation checked. A larger one is
 * streamed twice (validation, then the run), and the run refuses a row that no longer passes. The limit is an
 * argument of checkInput (and of export's checkManifestTargets), so both paths run here on small files.
 */

const STREAMED: ReadOnceLimit = { bytes: 0, rows: 0 };
/** Read whole, but with more rows than are kept: the run parses the bytes read again (not the file). */
const READ_WHOLE_NOT_KEPT: ReadOnceLimit = { bytes: READ_ONCE_LIMIT.bytes, rows: 2 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sendsNothing = new Proxy({}, {
  get(_, name) {
    throw new Error(`a manifest's rows need no request (the client's ${String(name)} was used)`);
  },
}) as OdinClient;

async function opened<T extends RowTarget>(input: CheckedInput<T>) {
  const { rows, hash } = await input.open(sendsNothing);
  const list: T[] = [];
  for await (const row of rows) list.push(row);
  return { rows: list, hash };
}

const VALIDATED = `userId,useUserCLIDSetting,clidPolicy\n${simUser(1)},true,Use Configurable CLID\n${simUser(2)},true,Use Configurable CLID\n${simUser(3)},true,Use Configurable CLID\n`;
const EDITED = `userId,useUserCLIDSetting,clidPolicy\n${simUser(1)},false,Use DN\n${simUser(2)},false,Use DN\n${simUser(3)},false,Use DN\n`;
const BROKEN = `userId,clidPolicy\n${simUser(1)},"Use DN\n`;

describe('the rows a run sends from a manifest', () => {
  it('within the limit: the rows validation checked, whatever the file holds by the time they are sent', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'users.csv');
    await writeFile(manifest, VALIDATED);
    const kept = await checkInput(testJobOptions(manifest, dir));
    const readWhole = await checkInput(testJobOptions(manifest, dir), READ_WHOLE_NOT_KEPT);
    await writeFile(manifest, BROKEN);

    for (const input of [kept, readWhole]) {
      const { rows, hash } = await opened(input);
      expect(rows.map((r) => [r.line, r.id, r.fields])).toEqual([1, 2, 3].map((n) => [n + 1, simUser(n), TARGET]));
      expect(hash).toBe(sha256(VALIDATED));
    }
  });

  it('beyond the limit: the file streamed again, which gives what it holds now, and refuses a row that no longer passes', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'users.csv');
    await writeFile(manifest, VALIDATED);
    const edited = await checkInput(testJobOptions(manifest, dir), STREAMED);
    const broken = await checkInput(testJobOptions(manifest, dir), STREAMED);

    await writeFile(manifest, EDITED);
    const { rows, hash } = await opened(edited);
    expect(rows.map((r) => r.fields)).toEqual([1, 2, 3].map(() => BASELINE));
    expect(hash).toBe(sha256(EDITED));

    await writeFile(manifest, BROKEN);
    await expect(opened(broken)).rejects.toThrow(`${manifest} changed during the run: line 2`);
    // Stopped with what was done and how to go on, exit 4: not an internal error (exit 70).
    const stopped = (await opened(broken).then(() => undefined, (error: unknown) => error)) as JobError;
    expect(stopped).toMatchObject({ code: 'EABORTED', exitCode: 4 });
    expect(stopped.details.join(' ')).toMatch(/journal\.ndjson.*put the file back exactly as it was and resume.*start a new run/);
  });

  it('--shard and --wave-order spread pick and order the same rows whichever way the manifest was read', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'groups.csv');
    const lines = Array.from({ length: 30 }, (_, i) => `${simUser(i + 1)},sp,g${i < 20 ? 1 : i < 27 ? 2 : 3},Use DN`);
    await writeFile(manifest, `userId,serviceProviderId,groupId,clidPolicy\n${lines.join('\n')}\n`);
    const options = testJobOptions(manifest, dir, {
      shard: { index: 2, count: 3 },
      waves: { mode: 'waves', sizes: [{ kind: 'percent', percent: 10 }, { kind: 'percent', percent: 100 }], settleMs: 0, maxFailures: 0, order: 'spread' },
    });
    const ways = await Promise.all([READ_ONCE_LIMIT, READ_WHOLE_NOT_KEPT, STREAMED].map(async (limit) => (await opened(await checkInput(options, limit))).rows));
    expect(ways[1]).toEqual(ways[0]);
    expect(ways[2]).toEqual(ways[0]);
    const ids = ways[0]!.map((r) => r.id);
    // A shard of the rows (not all of them), with every group in the first few rows, not g1's twenty first.
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(30);
    expect(new Set(ways[0]!.slice(0, 4).map((r) => r.group)).size).toBeGreaterThan(1);
  });
});

describe('the targets an export reads from a manifest', () => {
  it('within the limit: those checked; beyond it: the file streamed again, which refuses a row that no longer passes', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'targets.csv');
    await writeFile(manifest, VALIDATED);
    const kept = await checkManifestTargets(manifest, userCallProcessingPolicy);
    const streamed = await checkManifestTargets(manifest, userCallProcessingPolicy, undefined, STREAMED);
    await writeFile(manifest, `userId\n${simUser(7)}\n\n`);

    const ids = async (rows: AsyncIterable<RowTarget>) => {
      const list: string[] = [];
      for await (const row of rows) list.push(row.id);
      return list;
    };
    expect(await ids(kept.rows())).toEqual([simUser(1), simUser(2), simUser(3)]);
    expect(await ids(streamed.rows())).toEqual([simUser(7)]);
    await writeFile(manifest, `userId\n${simUser(7)} x\n`);
    await expect(ids(streamed.rows())).rejects.toMatchObject({ code: 'EABORTED', exitCode: 4, message: expect.stringContaining(`${manifest} changed during the export: line 2`) });
  });
});

describe('a run whose manifest changes after validation (in this process, against the simulator)', () => {
  const sim = withSimulator({ users: 10 });

  it('sends the values validated, and run.json holds the hash of the file as it was read', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'users.csv');
    await writeFile(manifest, VALIDATED);
    for (const n of [1, 2, 3]) sim.setFields(OP, simUser(n), BASELINE);
    // The login is the engine's first request, after validation: held until the file has been broken.
    let release!: () => void;
    sim.script('POST', '/auth/token', [{ until: new Promise<void>((resolve) => (release = resolve)) }]);
    const out = join(dir, 'out');
    const running = runTestJob(sim, testJobOptions(manifest, out));
    await pollUntil(() => sim.pendingScripts() === 0, 'the login request');
    await writeFile(manifest, BROKEN);
    release();

    const outcome = await running;
    expect(outcome.summary).toMatchObject({ total: 3, updated: 3, exitCode: 0 });
    for (const n of [1, 2, 3]) expect(sim.getFields(OP, simUser(n))).toMatchObject(TARGET);
    expect((await readJson(join(out, 'run.json'))).manifestHash).toBe(sha256(VALIDATED));
    expect(await readFile(manifest, 'utf8')).toBe(BROKEN);
  });
});
