import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../../src/client/odin-client.js';
import type { JobOptions } from '../../src/settings/job-options.js';
import { DEFAULT_FAILURE_BUDGET } from '../../src/settings/max-failures.js';
import { Secrets } from '../../src/logging/secrets.js';
import { userCallProcessingPolicy } from '../../src/operations/user-call-processing-policy.js';
import { runJob, type JobOutcome } from '../../src/pipelines/run-job.js';
import type { Simulator } from '../../src/simulator/simulator.js';
import { createRecordingLogger, type RecordingLogger } from './recording-logger.js';

export const POLICY_OP = userCallProcessingPolicy.name;
export const POLICY_PATH = userCallProcessingPolicy.path;
export const FIXED_START = new Date('2026-01-02T03:04:05.000Z');

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

export type TestRun = JobOutcome & { client: OdinClient; logger: RecordingLogger; secrets: Secrets };

/**
 * Runs `runJob` against the simulator the way the CLI does, but with a client whose retry backoff is 1 ms
 * (Retry-After is still honoured), so retry tests take milliseconds. The client is returned for its stats.
 */
export async function runTestJob(sim: Simulator, options: JobOptions): Promise<TestRun> {
  const secrets = new Secrets();
  secrets.add(sim.password);
  const logger = createRecordingLogger();
  let client: OdinClient | undefined;
  const outcome = await runJob(options, { baseUrl: sim.url, username: sim.username, password: sim.password }, {
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

/** A report folder path inside `dir` (runJob creates it). */
export const reportDir = (dir: string, name = 'report') => join(dir, name);
