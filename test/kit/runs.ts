import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OdinClient } from '../../src/client/odin-client.js';
import { StopControl } from '../../src/engine/stop-control.js';
import { Secrets } from '../../src/logging/secrets.js';
import type { Fields } from '../../src/model/fields.js';
import type { RunObserver } from '../../src/model/run-observer.js';
import { userCallProcessingPolicy } from '../../src/operations/user-call-processing-policy.js';
import type { JobOutcome } from '../../src/pipelines/run-job.js';
import type { Connection } from '../../src/settings/connection.js';
import type { JobOptions } from '../../src/settings/job-options.js';
import { DEFAULT_FAILURE_BUDGET } from '../../src/settings/max-failures.js';
import type { RunFlags } from '../../src/settings/resolve-job.js';
import type { Simulator } from '../../src/simulator/simulator.js';
import { lazy } from './lazy.js';
import { createRecordingLogger, type RecordingLogger } from './logger.js';

/* Runs of the row engine in this process, against a simulator the test started: as `odin-bulk run` calls it, but
   with retry delays of a millisecond, so a retry test takes milliseconds. */

/** The engine, the client and the flag resolver, loaded when a run first needs them (lazy.ts). */
const loadEngine = lazy(async () => ({
  ...(await import('../../src/pipelines/run-job.js')),
  ...(await import('../../src/client/odin-client.js')),
  ...(await import('../../src/settings/resolve-job.js')),
}));

export const OP = userCallProcessingPolicy.name;
export const POLICY = userCallProcessingPolicy.path;
/** Every target starts here; the manifest asks for TARGET, so every row is a real change. */
export const BASELINE: Fields = { useUserCLIDSetting: false, clidPolicy: 'Use DN' };
export const TARGET: Fields = { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' };
export const FIXED_START = new Date('2026-01-02T03:04:05.000Z');

const connectionOf = (sim: Simulator): Connection => ({ baseUrl: sim.url, username: sim.username, password: sim.password });

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
  /** Followers of the run after the report folder's own (the engine's `observers`). */
  observers?: RunObserver[];
  /** The run's secrets, e.g. with the password added, as the CLI's have it. */
  secrets?: Secrets;
};

/** runJob from flags as `odin-bulk run` would resolve them (rate uncapped, 1 retry, 5 s timeout unless given), against the simulator. */
export async function runAgainst(sim: Simulator, flags: RunFlags, test: TestRun = {}): Promise<JobOutcome> {
  const { runJob, createOdinClient, resolveJob } = await loadEngine();
  const options = await resolveJob({ rate: 0, retries: 1, timeout: 5, ...flags }, {});
  const stop = test.stop ?? new StopControl();
  const secrets = test.secrets ?? new Secrets();
  const connection = connectionOf(sim);
  const createClient = () => {
    const client = createOdinClient(
      { ...connection, rate: options.rate, retries: options.retries, timeoutMs: options.timeoutMs, retryBaseMs: test.retryBaseMs ?? 1, signal: stop.signal },
      { secrets },
    );
    return test.wrap ? test.wrap(client, stop) : client;
  };
  return runJob(options, connection, { logger: createRecordingLogger(), secrets, now: () => new Date(), stop, createClient, ...(test.observers ? { observers: test.observers } : {}) });
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

/** JobOptions for a test run: rate uncapped and no job-file defaults unless overridden. */
export function testJobOptions(manifest: string, outDir: string, overrides: Partial<JobOptions> = {}): JobOptions {
  return {
    name: 'test-job',
    op: userCallProcessingPolicy,
    manifest,
    defaults: { values: {}, file: 'test job' },
    concurrency: 4,
    maxConcurrency: 64,
    rate: 0,
    retries: 4,
    timeoutMs: 5_000,
    dryRun: false,
    strictGates: false,
    failOnChanges: false,
    maxFailures: DEFAULT_FAILURE_BUDGET,
    outDir,
    ...overrides,
  };
}

export type JobRun = JobOutcome & { client: OdinClient; logger: RecordingLogger; secrets: Secrets };

/** runJob with options as given (no flags to resolve); the client (for its stats), the console's lines and the secrets come back. */
export async function runTestJob(sim: Simulator, options: JobOptions): Promise<JobRun> {
  const { runJob, createOdinClient } = await loadEngine();
  const secrets = new Secrets();
  secrets.add(sim.password);
  const logger = createRecordingLogger();
  let client: OdinClient | undefined;
  const outcome = await runJob(options, connectionOf(sim), {
    logger,
    secrets,
    now: () => new Date(),
    createClient: (connection, o) => {
      client = createOdinClient({ ...connection, rate: o.rate, retries: o.retries, timeoutMs: o.timeoutMs, retryBaseMs: 1 }, { secrets });
      return client;
    },
  });
  return { ...outcome, client: client!, logger, secrets };
}
