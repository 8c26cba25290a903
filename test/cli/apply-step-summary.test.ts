import { describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clidManifest, FAST, range, runCli, tempDir, withSimulator } from '../kit/index.js';

describe('odin-bulk apply in GitHub Actions', () => {
  const sim = withSimulator({ users: 10, record: false });

  it('appends its summary.md to $GITHUB_STEP_SUMMARY, as run and plan do', async () => {
    const dir = await tempDir({ 'users.csv': clidManifest(range(1, 4)) });
    const stepSummary = join(dir, 'step-summary.md');
    await writeFile(stepSummary, '');
    const plan = join(dir, 'plan');
    expect((await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', plan, ...FAST], { sim })).code).toBe(0);
    const apply = join(dir, 'apply');
    const r = await runCli(['apply', plan, '--out', apply], { sim, env: { GITHUB_STEP_SUMMARY: stepSummary } });
    expect(r.code).toBe(0);
    expect(await readFile(stepSummary, 'utf8')).toBe(`${await readFile(join(apply, 'summary.md'), 'utf8')}\n`); // one blank line between appended summaries
  });
});
