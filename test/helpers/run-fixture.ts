import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../../src/client/odin-client.js';
import type { Connection } from '../../src/settings/connection.js';
import { resolveJob, type RunFlags } from '../../src/settings/resolve-job.js';
import { silentLogger } from '../../src/logging/create-logger.js';
import { Secrets } from '../../src/logging/secrets.js';
import type { Fields } from '../../src/operations/types.js';
import { runJob, type JobOutcome } from '../../src/pipelines/run-job.js';
import { StopControl } from '../../src/engine/stop-control.js';
import type { Simulator } from '../../src/simulator/simulator.js';

export const OP = 'user-call-processing-policy';
export const POLICY = '/users/call-processing-policy';
/** Every target starts here; the manifest asks for TARGET, so every row is a real change. */
export const BASELINE: Fields = { useUserCLIDSetting: false, clidPolicy: 'Use DN' };
export const TARGET: Fields = { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' };

export const tempDir = (prefix = 'odin-run-') => mkdtemp(join(tmpdir(), prefix));

const used = new WeakMap<Simulator, number>();

/**
 * Takes `n` seeded users no earlier call took (so per-user request counts belong to one case), puts them at
 * BASELINE and writes a manifest asking for TARGET; returns its path and the ids.
 */
export async function baselineManifest(sim: Simulator, dir: string, n: number, name = 'users.csv'): Promise<{ manifest: string; users: string[] }> {
  const from = used.get(sim) ?? 0;
  used.set(sim, from + n);
  const users = sim.userIds().slice(from, from + n);
  if (users.length < n) throw new Error(`the simulator has only ${from + users.length} users`);
  for (const u of users) sim.setFields(OP, u, BASELINE);
  const manifest = join(dir, name);
  const header = ['userId', ...Object.keys(TARGET)];
  await writeFile(manifest, [header.join(','), ...users.map((u) => [u, ...Object.values(TARGET)].join(','))].join('\n') + '\n');
  return { manifest, users };
}

export type TestRun = {
  stop?: StopControl;
  /** Wraps the real client, e.g. to interrupt the run at a chosen moment. */
  wrap?: (client: OdinClient, stop: StopControl) => OdinClient;
  /** First retry delay. @default 1 */
  retryBaseMs?: number;
};

/** runJob as `odin-bulk run` would call it, against the simulator, with millisecond retry delays. */
export async function runAgainst(sim: Simulator, flags: RunFlags, test: TestRun = {}): Promise<JobOutcome> {
  const options = await resolveJob({ rate: 0, retries: 1, timeout: 5, ...flags }, {});
  const stop = test.stop ?? new StopControl();
  const secrets = new Secrets();
  const connection: Connection = { baseUrl: sim.url, username: sim.username, password: sim.password };
  const createClient = () => {
    const client = createOdinClient(
      { ...connection, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs, retryBaseMs: test.retryBaseMs ?? 1, signal: stop.signal },
      { secrets },
    );
    return test.wrap ? test.wrap(client, stop) : client;
  };
  return runJob(options, connection, { logger: silentLogger, secrets, now: () => new Date(), stop, createClient });
}

/** A client whose `write` calls `onWrite` (with the count so far) as each PUT starts. */
export function onWrites(onWrite: (count: number, key: Record<string, string>, stop: StopControl) => void) {
  return (client: OdinClient, stop: StopControl): OdinClient => {
    let count = 0;
    return {
      ...client,
      stats: client.stats,
      write(op, key, fields, track) {
        const pending = client.write(op, key, fields, track);
        onWrite(++count, key, stop);
        return pending;
      },
    };
  };
}

export type ResultJson = { line: number; userId: string; status: string; before: Fields | null; after: Fields | null; error: string | null; requests?: number };

export async function readResults(dir: string): Promise<ResultJson[]> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ResultJson[];
}

export async function readSummary(dir: string): Promise<Record<string, number>> {
  return JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Record<string, number>;
}

export async function readJournal(dir: string): Promise<Array<{ line: number; id: string; status: string; errorCode?: string }>> {
  const text = await readFile(join(dir, 'journal.ndjson'), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** CSV data rows (without the header). */
export async function csvRows(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean).slice(1);
}
