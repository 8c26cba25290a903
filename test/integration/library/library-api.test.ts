import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clidManifest, createRecordingLogger, range, readCsvRecords, readSummary, tempDir, withSimulator } from '../../kit/index.js';
import {
  applyPlan,
  exportValues,
  JobError,
  planJob,
  runJob,
  startSimulator,
  validateJob,
  type Connection,
} from '../../../src/index.js';

const OP = 'user-call-processing-policy';
const user = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const FAST = { rate: 0, retries: 0, concurrency: 4 } as const;

describe('the library API (src/index.ts) against the simulator', () => {
  // Started through the package's own export, as a library user would.
  const sim = withSimulator({ users: 20, password: 'pw-3f9a1c77-library' }, { start: startSimulator });
  let dir: string;
  let connection: Connection;
  const manifest = () => join(dir, 'users.csv');
  /** Users 1–6 start at Use DN; the manifest moves them to Use Configurable CLID, so each row is a change. */
  const reset = () => {
    for (const n of range(1, 6)) sim.setFields(OP, user(n), { useUserCLIDSetting: false, clidPolicy: 'Use DN', emergencyClidPolicy: 'Use DN' });
  };

  beforeAll(async () => {
    connection = { baseUrl: sim.url, username: sim.username, password: sim.password };
    dir = await tempDir({ 'users.csv': clidManifest(range(1, 6)) });
  });
  afterEach(() => sim.clearRequests());

  it('validateJob returns what `odin-bulk validate` prints, and sends nothing', async () => {
    const result = await validateJob({ manifest: manifest() });
    expect(result).toEqual({
      operation: OP,
      source: manifest(),
      rows: 6,
      fieldsUsed: ['useUserCLIDSetting', 'clidPolicy', 'emergencyClidPolicy'],
      warnings: [],
      warningCount: 0,
      exitCode: 0,
    });
    expect(sim.requests).toHaveLength(0);
  });

  it('validateJob of a bad manifest throws JobError EMANIFEST_INVALID, exit code 2, naming file, line and field', async () => {
    await writeFile(join(dir, 'bad.csv'), `userId,clidPolicy\n${user(1)},Use DN\n${user(2)},use dn\n`);
    const error = await validateJob({ manifest: join(dir, 'bad.csv') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    const jobError = error as JobError;
    expect({ code: jobError.code, exitCode: jobError.exitCode }).toEqual({ code: 'EMANIFEST_INVALID', exitCode: 2 });
    expect(jobError.details.join('\n')).toContain(`${join(dir, 'bad.csv')}:3 clidPolicy`);
  });

  it('runJob writes what differs and returns the summary, the report folder and the exit code', async () => {
    reset();
    const out = join(dir, 'run');
    const result = await runJob({ manifest: manifest(), out, connection, ...FAST });
    expect(result).toMatchObject({ job: 'users', operation: OP, dryRun: false, outDir: out, exitCode: 0, kept: 0 });
    expect(result.stopReason).toBeUndefined();
    expect(result.summary).toMatchObject({ total: 6, updated: 6, failed: 0, exitCode: 0 });
    // The same numbers as the report folder the CLI would leave, and the simulator changed.
    expect(await readSummary(out)).toEqual(result.summary);
    expect((await readCsvRecords(join(out, 'results.csv'))).map((r) => r.status)).toEqual(Array(6).fill('updated'));
    for (const n of range(1, 6)) expect(sim.getFields(OP, user(n))).toMatchObject({ clidPolicy: 'Use Configurable CLID' });
  });

  it('planJob sends no PUT; applyPlan then writes exactly the plan; failOnChanges gives exit code 5', async () => {
    reset();
    const planDir = join(dir, 'plan');
    const plan = await planJob({ manifest: manifest(), out: planDir, connection, failOnChanges: true, ...FAST });
    expect(plan).toMatchObject({ dryRun: true, exitCode: 5, summary: { total: 6, planned: 6 } });
    expect(sim.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    const applied = await applyPlan({ plan: planDir, out: join(dir, 'apply'), connection });
    expect(applied).toMatchObject({ exitCode: 0, outDir: join(dir, 'apply'), plan: { file: join(planDir, 'plan.json') }, summary: { updated: 6, conflict: 0 } });
    expect(sim.requests.filter((r) => r.method === 'PUT')).toHaveLength(6);
  });

  it('exportValues writes a manifest of the current values and returns the counts', async () => {
    const out = join(dir, 'snapshot.csv');
    const result = await exportValues({ manifest: manifest(), out, fields: ['clidPolicy'], connection, rate: 0 });
    expect(result).toMatchObject({ targets: 6, written: 6, failedCount: 0, exitCode: 0, file: out, format: 'csv', fields: ['clidPolicy'], operation: OP });
    const rows = await readCsvRecords(out);
    expect(rows.map((r) => r.userId)).toEqual(range(1, 6).map(user));
    expect(rows.map((r) => r.clidPolicy)).toEqual(range(1, 6).map((n) => sim.getFields(OP, user(n))!.clidPolicy));
  });

  it('rows that fail are results (exit code 1), reported to the logger without the password', async () => {
    await writeFile(join(dir, 'unknown.csv'), clidManifest([1], ['nobody@sim.odin.test,true,Use DN,Use DN']));
    const logger = createRecordingLogger();
    const result = await runJob({ manifest: join(dir, 'unknown.csv'), out: join(dir, 'unknown'), connection, logger, ...FAST });
    expect(result).toMatchObject({ exitCode: 1, summary: { total: 2, failed: 1 } });
    expect(logger.lines).toContainEqual({ level: 'warn', message: expect.stringContaining('nobody@sim.odin.test: failed') });
    expect(JSON.stringify(logger.lines)).not.toContain(sim.password);
  });

  it('a refused login throws JobError EAUTH with the CLI exit code 3, and the error does not hold the password', async () => {
    const wrong = { ...connection, password: 'not-the-password-123' };
    const error = (await runJob({ manifest: manifest(), out: join(dir, 'refused'), connection: wrong, ...FAST }).catch((e: unknown) => e)) as JobError;
    expect(error).toBeInstanceOf(JobError);
    expect({ code: error.code, exitCode: error.exitCode }).toEqual({ code: 'EAUTH', exitCode: 3 });
    expect(JSON.stringify([error.message, ...error.details])).not.toContain('not-the-password-123');
  });

  it('an aborted signal stops the run as Ctrl-C does: no row started, exit code 4, the reports written', async () => {
    reset();
    const controller = new AbortController();
    controller.abort();
    const out = join(dir, 'aborted');
    const result = await runJob({ manifest: manifest(), out, connection, signal: controller.signal, ...FAST });
    expect(result).toMatchObject({ exitCode: 4, stopReason: expect.stringContaining('AbortSignal'), summary: { total: 6, skipped: 6 } });
    expect(sim.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect((await readSummary(out)).exitCode).toBe(4);
  });

  it('a signal aborted mid-run lets the rows in flight finish and skips the rest', async () => {
    reset();
    sim.setFaults({ latencyMs: 30 });
    try {
      const controller = new AbortController();
      const logger = createRecordingLogger();
      // Abort once the first PUT has been sent: the run is under way.
      const running = runJob({ manifest: manifest(), out: join(dir, 'mid-run'), connection, signal: controller.signal, logger, rate: 0, retries: 0, concurrency: 1 });
      const deadline = Date.now() + 10_000;
      while (!sim.requests.some((r) => r.method === 'PUT')) {
        if (Date.now() > deadline) throw new Error('no PUT within 10 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      controller.abort();
      const result = await running;
      expect(result.exitCode).toBe(4);
      expect(result.summary.updated).toBeGreaterThanOrEqual(1);
      expect(result.summary.skipped).toBeGreaterThanOrEqual(1);
      expect(result.summary.updated + result.summary.skipped).toBe(6);
    } finally {
      sim.setFaults({ latencyMs: 0 });
    }
  });

  it('prints nothing and never exits the process', async () => {
    reset();
    const stdout = jest.spyOn(process.stdout, 'write');
    const stderr = jest.spyOn(process.stderr, 'write');
    const exit = jest.spyOn(process, 'exit');
    try {
      await runJob({ manifest: manifest(), out: join(dir, 'quiet'), connection, ...FAST });
      await validateJob({ manifest: join(dir, 'bad.csv') }).catch(() => undefined);
      expect([stdout.mock.calls, stderr.mock.calls, exit.mock.calls]).toEqual([[], [], []]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      exit.mockRestore();
    }
  });

  it('programmer mistakes are TypeErrors: an unknown option, a missing connection', async () => {
    const misspelt = runJob({ manifest: manifest(), connection, rate: 0, concurency: 2 } as never);
    await expect(misspelt).rejects.toThrow(TypeError);
    await expect(misspelt).rejects.toThrow('Unknown option of `runJob`: `concurency`');
    await expect(planJob({ manifest: manifest() } as never)).rejects.toThrow(TypeError);
    await expect(runJob({ manifest: manifest(), connection: { ...connection, baseUrl: 'odin.example.com' } })).rejects.toThrow('connection.baseUrl');
    expect(sim.requests).toHaveLength(0);
  });

  it('job files get ${VAR} from `env` (export too)', async () => {
    await writeFile(join(dir, 'env-job.json'), JSON.stringify({ name: 'env-${WHO}', manifest: 'users.csv' }));
    const snapshot = join(dir, 'env-snapshot.json');
    const exported = await exportValues({ job: join(dir, 'env-job.json'), out: snapshot, connection, env: { WHO: 'team' }, rate: 0 });
    expect(exported).toMatchObject({ written: 6, format: 'json' });
    expect(JSON.parse(await readFile(snapshot, 'utf8'))).toHaveLength(6);
    const result = await planJob({ job: join(dir, 'env-job.json'), out: join(dir, 'env-plan'), connection, env: { WHO: 'team' }, ...FAST });
    expect(result.job).toBe('env-team');
  });
});
