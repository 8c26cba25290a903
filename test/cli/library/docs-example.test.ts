import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readCsvRecords, REPO } from '../../kit/index.js';

const EXAMPLE = join(REPO, 'docs/examples/run-job.mjs');

/** `node FILE` with a clean environment: exit code and output. */
function runNode(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: REPO, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('docs/library.md', () => {
  it('shows docs/examples/run-job.mjs exactly as it is', async () => {
    const [doc, example] = await Promise.all([readFile(join(REPO, 'docs/library.md'), 'utf8'), readFile(EXAMPLE, 'utf8')]);
    expect(example.split('\n').length).toBeLessThan(30); // a short example
    expect(doc).toContain('```js\n' + example + '```\n');
  });

  it('its example runs (importing the package by its name, as a user does) and prints what the report folder holds', async () => {
    const { code, stdout, stderr } = await runNode(EXAMPLE);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const printed = /^(\d+) rows: (\d+) updated, (\d+) unchanged, (\d+) failed\nReports: (.+)\n$/.exec(stdout);
    expect(printed).not.toBeNull();
    const [, total, updated, unchanged, failed, folder] = printed!;
    const results = await readCsvRecords(join(folder!, 'results.csv'));
    const count = (status: string) => String(results.filter((r) => r.status === status).length);
    expect([total, updated, unchanged, failed]).toEqual([String(results.length), count('updated'), count('unchanged'), count('failed')]);
    expect(results).toHaveLength(3);
    expect(failed).toBe('0');
    await rm(dirname(folder!), { recursive: true, force: true }); // the example's own temp folder
  });
});
