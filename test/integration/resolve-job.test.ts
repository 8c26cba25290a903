import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { JobError } from '../../src/model/errors.js';
import { loadJobFile } from '../../src/settings/load-job-file.js';
import { findOperation } from '../../src/operations/registry.js';
import { resolveJob, type RunFlags } from '../../src/settings/resolve-job.js';
import { tempDir } from '../kit/index.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir({
    'jobs/full.json': JSON.stringify({
      name: 'clid',
      manifest: '../samples/users.csv',
      operation: 'user-call-processing-policy',
      defaults: { useUserCLIDSetting: true },
      concurrency: 6,
      rate: 2.5,
      retries: 2,
      timeoutMs: 9000,
      strictGates: true,
    }),
    'jobs/minimal.json': JSON.stringify({ manifest: 'm.csv' }),
    'jobs/seconds.json': JSON.stringify({ manifest: 'm.csv', timeout: 9 }),
    'jobs/both-timeouts.json': JSON.stringify({ manifest: 'm.csv', timeout: 9, timeoutMs: 9000 }),
    'jobs/bad-timeout.json': JSON.stringify({ manifest: 'm.csv', timeout: 0.01 }),
    'jobs/bad.json': JSON.stringify({ name: '', concurency: 3, concurrency: 0, rate: 'fast', retries: 2.5, timeoutMs: 10, defaults: [], strictGates: 'yes' }),
    'jobs/array.json': '[]',
    'jobs/number.json': '42',
    'jobs/rows.json': '{"rows": [{"userId": "a@x"}]}',
    'jobs/broken.json': '{"name": ',
  });
});

const job = (name: string) => join(dir, 'jobs', name);

/** The JobError a promise rejects with (fails the test if it resolves or throws something else). */
async function jobError(promise: Promise<unknown>): Promise<JobError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(JobError);
  return error as JobError;
}

describe('loadJobFile', () => {
  it('reads every setting and resolves the manifest against the job file\'s folder', async () => {
    const { job: loaded, problems } = await loadJobFile(job('full.json'), {});
    expect(problems).toEqual([]);
    expect(loaded).toEqual({
      file: job('full.json'),
      defaults: { useUserCLIDSetting: true },
      settings: {
        name: 'clid',
        manifest: join(dir, 'samples', 'users.csv'),
        operation: findOperation('user-call-processing-policy'),
        concurrency: 6,
        rate: 2.5,
        retries: 2,
        // A job file's timeout is in seconds (`timeout`); `timeoutMs`, as older job files say, is read too.
        timeout: 9000,
        strictGates: true,
      },
    });
  });

  it('a timeout is in seconds ("timeout"), as on the command line; "timeoutMs" (older job files) is read, not both', async () => {
    expect((await loadJobFile(job('seconds.json'), {})).job?.settings.timeout).toBe(9000);
    expect((await resolveJob({ job: job('seconds.json') }, {})).timeoutMs).toBe(9000);
    expect((await loadJobFile(job('both-timeouts.json'), {})).problems).toEqual([
      { file: job('both-timeouts.json'), field: 'timeoutMs', message: 'give either "timeout" (seconds) or "timeoutMs" (milliseconds), not both' },
    ]);
    expect((await loadJobFile(job('bad-timeout.json'), {})).problems).toEqual([
      { file: job('bad-timeout.json'), field: 'timeout', message: 'must be from 0.1 to 3600 seconds, got 0.01' },
    ]);
  });

  it('names every bad key, with a did-you-mean for a misspelt one', async () => {
    const { job: loaded, problems } = await loadJobFile(job('bad.json'), {});
    expect(loaded).toBeUndefined();
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(Object.keys(byField).sort()).toEqual(['concurency', 'concurrency', 'defaults', 'name', 'rate', 'retries', 'strictGates', 'timeoutMs']);
    expect(byField.concurency).toMatch(/^unknown setting "concurency": did you mean "concurrency"\?/);
    expect(byField.concurrency).toBe('must be a whole number from 1 to 256 or "auto", got 0');
    expect(byField.rate).toBe('must be a number from 0 to 10000, got "fast"');
    expect(byField.retries).toBe('must be a whole number from 0 to 20, got 2.5');
    expect(byField.timeoutMs).toBe('must be a whole number from 100 to 3600000 (milliseconds; or give "timeout" in seconds), got 10');
    expect(byField.name).toBe('must be a non-empty string');
    expect(problems.every((p) => p.file === job('bad.json'))).toBe(true);
  });

  it('refuses a missing file, broken JSON and a non-object', async () => {
    expect((await loadJobFile(job('nope.json'), {})).problems[0]?.message).toMatch(/cannot read the job file/);
    expect((await loadJobFile(job('broken.json'), {})).problems[0]?.message).toMatch(/^not valid JSON/);
    expect((await loadJobFile(job('number.json'), {})).problems[0]?.message).toMatch(/^a job file is a JSON object/);
  });

  it('a manifest given where the job file goes (a .csv, a JSON array, an object with "rows") says to use --manifest', async () => {
    for (const name of ['users.csv', 'array.json', 'rows.json']) {
      expect((await loadJobFile(job(name), {})).problems).toEqual([
        { file: job(name), message: `this looks like a manifest, not a job file: use --manifest ${job(name)} (a job file is a JSON object with "manifest", "operation", "defaults"…)` },
      ]);
    }
  });
});

describe('resolveJob', () => {
  it('takes the job file\'s settings', async () => {
    const options = await resolveJob({ job: job('full.json') }, {});
    expect(options).toMatchObject({
      name: 'clid',
      manifest: join(dir, 'samples', 'users.csv'),
      defaults: { values: { useUserCLIDSetting: true }, file: job('full.json') },
      concurrency: 6,
      rate: 2.5,
      retries: 2,
      timeoutMs: 9000,
      dryRun: false,
      strictGates: true,
      outDir: undefined,
    });
    expect(options.op.name).toBe('user-call-processing-policy');
  });

  it('flags override the job file', async () => {
    const flags: RunFlags = { job: job('full.json'), manifest: 'other.csv', name: 'n', concurrency: 2, rate: 0, retries: 0, timeout: 1.5, out: 'o', dryRun: true, strictGates: false };
    expect(await resolveJob(flags, {})).toMatchObject({ name: 'n', manifest: 'other.csv', concurrency: 2, rate: 0, retries: 0, timeoutMs: 1500, outDir: 'o', dryRun: true, strictGates: false });
  });

  it('without a job file: defaults, and the name from the manifest file', async () => {
    expect(await resolveJob({ manifest: 'samples/clid-migration.csv' }, {})).toMatchObject({
      name: 'clid-migration',
      defaults: { values: {}, file: 'command line' },
      concurrency: 4,
      rate: 5,
      retries: 4,
      timeoutMs: 30_000,
      dryRun: false,
      strictGates: false,
    });
  });

  it('bad flags → EINPUT naming every flag', async () => {
    const error = await jobError(resolveJob({ manifest: 'm.csv', concurrency: 0, rate: -1, retries: 1.5, timeout: 0.01, operation: 'user-dnd' }, {}));
    expect(error.code).toBe('EINPUT');
    expect(error.details).toEqual([
      expect.stringMatching(/^command line --operation: unknown operation "user-dnd" \(one of: user-call-processing-policy, group-call-processing-policy, user-do-not-disturb, /),
      'command line --concurrency: must be a whole number from 1 to 256 or auto, got 0',
      'command line --rate: must be a number from 0 to 10000, got -1',
      'command line --retries: must be a whole number from 0 to 20, got 1.5',
      'command line --timeout: must be from 0.1 to 3600 seconds, got 0.01',
    ]);
  });

  it('NaN from a flag like --concurrency abc is refused', async () => {
    const error = await jobError(resolveJob({ manifest: 'm.csv', concurrency: Number.NaN }, {}));
    expect(error.details).toEqual(['command line --concurrency: must be a whole number from 1 to 256 or auto, got text that is not a number']);
  });

  it('no manifest anywhere → EINPUT naming --manifest', async () => {
    const error = await jobError(resolveJob({}, {}));
    expect(error.code).toBe('EINPUT');
    expect(error.details).toEqual(['command line --manifest: no manifest: give a job file with "manifest" or "target", or --manifest FILE, or --group SP/GROUP']);
  });

  it('a bad job file → EINPUT whose details name the file and each field', async () => {
    const error = await jobError(resolveJob({ job: job('bad.json') }, {}));
    expect(error.code).toBe('EINPUT');
    expect(error.message).toBe(`${job('bad.json')} is not a valid job file`);
    expect(error.details).toContain(`${job('bad.json')} concurrency: must be a whole number from 1 to 256 or "auto", got 0`);
  });
});
