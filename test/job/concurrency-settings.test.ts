import { describe, expect, it } from '@jest/globals';
import { concurrencySettings } from '../../src/settings/concurrency-settings.js';

function settings(flags: Parameters<typeof concurrencySettings>[0], job?: Parameters<typeof concurrencySettings>[1]) {
  const problems: string[] = [];
  const result = concurrencySettings(flags, job, (field, message) => problems.push(`${field}: ${message}`));
  return { ...result, problems };
}

describe('concurrencySettings (--concurrency N|auto, --max-concurrency N)', () => {
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
});
