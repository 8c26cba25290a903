import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expandEnv } from '../../../src/settings/expand-env.js';
import { loadJobFile } from '../../../src/settings/load-job-file.js';
import { clidManifest, runCli, simulators, tempDir } from '../../kit/index.js';

const startSimulator = simulators({ record: false });

describe('${VAR} in job files', () => {
  it('expands every string value, nested defaults and lists included, and leaves keys, numbers and $${…} alone', () => {
    const env = { ESTATE: 'north', POLICY: 'Use DN', N: '7' };
    const { value, problems } = expandEnv(
      {
        name: 'clid-${ESTATE}-${ESTATE}',
        manifest: '../manifests/${ESTATE}/users.csv',
        concurrency: 4,
        strictGates: true,
        defaults: { clidPolicy: '${POLICY}', note: 'costs $5, literal $${ESTATE}, $HOME stays' },
        list: ['${N}', { deep: 'x${N}y' }],
        '${ESTATE}': 'keys are not expanded',
      },
      env,
      'job.json',
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({
      name: 'clid-north-north',
      manifest: '../manifests/north/users.csv',
      concurrency: 4,
      strictGates: true,
      defaults: { clidPolicy: 'Use DN', note: 'costs $5, literal ${ESTATE}, $HOME stays' },
      list: ['7', { deep: 'x7y' }],
      '${ESTATE}': 'keys are not expanded',
    });
  });

  it('names the variable and the key of every unset, empty or malformed reference', () => {
    const { problems } = expandEnv(
      { manifest: '${MISSING}', defaults: { clidPolicy: '${EMPTY}', x: ['ok', 'a ${1BAD} b'] } },
      { EMPTY: '' },
      'jobs/nightly.json',
    );
    expect(problems).toEqual([
      { file: 'jobs/nightly.json', field: 'manifest', message: expect.stringContaining('${MISSING} is not set in the environment') },
      { file: 'jobs/nightly.json', field: 'defaults.clidPolicy', message: expect.stringContaining('${EMPTY} is empty') },
      { file: 'jobs/nightly.json', field: 'defaults.x[1]', message: expect.stringContaining('must be followed by a variable name') },
    ]);
  });

  it('loadJobFile takes the environment it is given, not the process environment', async () => {
    const dir = await tempDir({ 'job.json': JSON.stringify({ name: 'job-${STAGE}', manifest: '${STAGE}.csv' }) });
    const file = join(dir, 'job.json');
    const loaded = await loadJobFile(file, { STAGE: 'staging' });
    expect(loaded.problems).toEqual([]);
    expect(loaded.job?.settings).toMatchObject({ name: 'job-staging', manifest: join(dir, 'staging.csv') });
    process.env.STAGE = 'from-the-process';
    try {
      const refused = await loadJobFile(file, {});
      expect(refused.problems.map((p) => p.field)).toEqual(['name', 'manifest']);
    } finally {
      delete process.env.STAGE;
    }
  });

  it('the CLI expands from its environment; an unset variable exits 2 naming it and the key, before anything else', async () => {
    const dir = await tempDir({
      'jobs/estate.json': JSON.stringify({ name: 'clid-${ESTATE}', manifest: '../manifests/${ESTATE}.csv', defaults: { clidPolicy: '${CLID_POLICY}' } }),
      'manifests/north.csv': clidManifest([1, 2, 3]),
    });
    const job = join(dir, 'jobs/estate.json');

    const ok = await runCli(['validate', job], { env: { ESTATE: 'north', CLID_POLICY: 'Use DN' } });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`${join(dir, 'manifests/north.csv')}: 3 rows valid`);

    const unset = await runCli(['validate', job], { env: { ESTATE: 'north' } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(`EINPUT: ${job} is not a valid job file`);
    expect(unset.stderr).toContain(`${job} defaults.clidPolicy: \${CLID_POLICY} is not set in the environment`);

    // plan refuses the same way, before looking for credentials or sending anything.
    const plan = await runCli(['plan', job], { env: { CLID_POLICY: 'Use DN' } });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain(`${job} name: \${ESTATE} is not set`);
    expect(plan.stderr).toContain(`${job} manifest: \${ESTATE} is not set`);
    expect(plan.stderr).not.toContain('ODIN_BASE_URL');
  });

  it('export expands the job file from its environment too', async () => {
    const sim = await startSimulator({ users: 5 });
    const dir = await tempDir({
      'jobs/estate.json': JSON.stringify({ name: 'clid-${ESTATE}', manifest: '../manifests/${ESTATE}.csv' }),
      'manifests/north.csv': clidManifest([1, 2, 3]),
    });
    const out = join(dir, 'snapshot.csv');
    const r = await runCli(['export', join(dir, 'jobs/estate.json'), '--out', out, '--rate', '0'], { sim, env: { ESTATE: 'north' } });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`Exported 3 of 3 targets of ${join(dir, 'manifests/north.csv')}`);
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(4);
  });
});
