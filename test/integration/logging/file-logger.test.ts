import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileLogger } from '../../../src/logging/create-logger.js';
import { Secrets } from '../../../src/logging/secrets.js';
import { pollUntil, tempDir } from '../../kit/index.js';

describe('createFileLogger (run.log)', () => {
  it('writes one JSON line per call, every level, with meta and a timestamp, and no secret', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.log');
    const secrets = new Secrets();
    secrets.add('s3cr3t-token');
    const log = createFileLogger(file, secrets);
    log.debug('line 2 a@x: updated', { line: 2, id: 'a@x', changed: ['clidPolicy'] });
    log.info('token s3cr3t-token refreshed');
    log.warn('line 3 b@x: careful', { detail: { header: 'Bearer s3cr3t-token' } });
    log.error('boom');
    await log.close();

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('s3cr3t-token');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { level: 'debug', message: 'line 2 a@x: updated', line: 2, id: 'a@x', changed: ['clidPolicy'], timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      { level: 'info', message: 'token *** refreshed', timestamp: expect.any(String) },
      { level: 'warn', message: 'line 3 b@x: careful', detail: { header: 'Bearer ***' }, timestamp: expect.any(String) },
      { level: 'error', message: 'boom', timestamp: expect.any(String) },
    ]);
  });

  it('gets lines to the file while the run goes on (in batches), not only at close', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.log');
    const log = createFileLogger(file, new Secrets());
    try {
      for (let i = 1; i <= 500; i++) log.debug(`line ${i + 1} u${i}@x: updated`, { line: i + 1 });
      let text = '';
      await pollUntil(async () => (text = await readFile(file, 'utf8').catch(() => '')).split('\n').length > 500, 'all 500 lines in run.log before close');
      expect(text.trim().split('\n').map((l) => JSON.parse(l).line)).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));
    } finally {
      await log.close();
    }
  });
});
