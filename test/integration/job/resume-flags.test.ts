import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { JobError } from '../../../src/model/errors.js';
import { resolveJob } from '../../../src/settings/resolve-job.js';
import { tempDir } from '../../kit/index.js';

describe('--resume and --max-failures settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it('--resume DIR continues in DIR; --out may only repeat it', async () => {
    expect(await resolveJob({ manifest: 'm.csv', resume: 'reports/a' }, {})).toMatchObject({ resume: true, outDir: 'reports/a' });
    expect(await resolveJob({ manifest: 'm.csv', resume: 'reports/a', out: 'reports/a' }, {})).toMatchObject({ resume: true, outDir: 'reports/a' });
    expect(await resolveJob({ manifest: 'm.csv', out: 'reports/b' }, {})).toMatchObject({ resume: false, outDir: 'reports/b' });
    const error = await resolveJob({ manifest: 'm.csv', resume: 'reports/a', out: 'reports/b' }, {}).catch((e: JobError) => e);
    expect(error).toMatchObject({ code: 'EINPUT', details: ['command line --out: --resume writes into the folder it resumes (reports/a); leave --out off'] });
    expect(await resolveJob({ manifest: 'm.csv', resume: 'reports/a', retryFailed: true }, {})).toMatchObject({ retryFailed: true });
    await expect(resolveJob({ manifest: 'm.csv', retryFailed: true }, {})).rejects.toMatchObject({ details: ['command line --retry-failed: only goes with --resume DIR (it redoes the rows that failed in that run)'] });
    await expect(resolveJob({ manifest: 'm.csv', resume: '' }, {})).rejects.toMatchObject({ details: [expect.stringContaining('--resume: give the report folder')] });
  });

  it('--max-failures overrides the job file, which overrides the default', async () => {
    const job = join(dir, 'job.json');
    await writeFile(job, JSON.stringify({ manifest: 'm.csv', maxFailures: '2.5%' }));
    expect((await resolveJob({ manifest: 'm.csv' }, {})).maxFailures).toEqual({ kind: 'percent', percent: 10, minRows: 20 });
    expect((await resolveJob({ job }, {})).maxFailures).toEqual({ kind: 'percent', percent: 2.5, minRows: 20 });
    expect((await resolveJob({ job, maxFailures: '7' }, {})).maxFailures).toEqual({ kind: 'count', max: 7 });
  });

  it('a bad value names the flag or the job-file key', async () => {
    const flag = await resolveJob({ manifest: 'm.csv', maxFailures: 'lots' }, {}).catch((e: JobError) => e);
    expect(flag).toBeInstanceOf(JobError);
    expect((flag as JobError).details[0]).toMatch(/^command line --max-failures: must be a whole number of rows \(e\.g\. 25\) or a percentage/);
    const job = join(dir, 'bad.json');
    await writeFile(job, JSON.stringify({ manifest: 'm.csv', maxFailures: '150%' }));
    const fromJob = await resolveJob({ job }, {}).catch((e: JobError) => e);
    expect((fromJob as JobError).details[0]).toMatch(/bad\.json maxFailures: must be a whole number of rows/);
  });
});
