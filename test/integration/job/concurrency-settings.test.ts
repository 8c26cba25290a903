import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadJobFile } from '../../../src/settings/load-job-file.js';
import { resolveSettings, type RunFlags } from '../../../src/settings/resolve-job.js';
import type { JobFile } from '../../../src/settings/load-job-file.js';
import { tempDir } from '../../kit/index.js';

/** --concurrency N|auto and --max-concurrency N over the job file's values, as resolveJob takes them from the table. */
function settings(flags: RunFlags, job?: JobFile['settings']) {
  const problems: string[] = [];
  const file: JobFile | undefined = job && { file: 'job.json', defaults: {}, settings: job };
  const result = resolveSettings(['concurrency', 'maxConcurrency'], flags, { job: file, flag: (field, message) => problems.push(`${field}: ${message}`) });
  return { ...result, problems };
}

describe('concurrency settings (--concurrency N|auto, --max-concurrency N)', () => {
  it.each([
    [{}, undefined, { concurrency: 4, maxConcurrency: 64 }],
    [{ concurrency: 'auto' }, undefined, { concurrency: 'auto', maxConcurrency: 64 }],
    [{ concurrency: '12' }, undefined, { concurrency: 12, maxConcurrency: 64 }],
    [{ concurrency: 3 }, undefined, { concurrency: 3, maxConcurrency: 64 }],
    [{}, { concurrency: 'auto' as const, maxConcurrency: 20 }, { concurrency: 'auto', maxConcurrency: 20 }],
    [{ concurrency: '8' }, { concurrency: 'auto' as const }, { concurrency: 8, maxConcurrency: 64 }],
    [{ concurrency: 'auto', maxConcurrency: 10 }, { concurrency: 5, maxConcurrency: 20 }, { concurrency: 'auto', maxConcurrency: 10 }],
  ])('flags %j over job file %j → %j', (flags, job, expected) => {
    expect(settings(flags, job)).toEqual({ ...expected, problems: [] });
  });

  it.each([
    [{ concurrency: 'fast' }, '--concurrency: must be a whole number from 1 to 256 or auto, got "fast"'],
    [{ concurrency: '' }, '--concurrency: must be a whole number from 1 to 256 or auto, got ""'],
    [{ concurrency: '2.5' }, '--concurrency: must be a whole number from 1 to 256 or auto, got "2.5"'],
    [{ concurrency: 0 }, '--concurrency: must be a whole number from 1 to 256 or auto, got 0'],
    [{ maxConcurrency: 300 }, '--max-concurrency: must be a whole number from 1 to 256, got 300'],
  ])('refuses %j', (flags, problem) => {
    expect(settings(flags).problems).toEqual([problem]);
  });

  it('a job file says "auto" in quotes, as JSON has it', async () => {
    const dir = await tempDir({ 'job.json': JSON.stringify({ concurrency: 0 }) });
    const { problems } = await loadJobFile(join(dir, 'job.json'));
    expect(problems.map((p) => p.message)).toEqual(['must be a whole number from 1 to 256 or "auto", got 0']);
  });
});
