import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { rebuildArtefacts } from '../../kit/artefacts.js';
import { reportFolder, row, runInfo, summaryOf } from '../../kit/report-fixtures.js';
import { tempDir } from '../../kit/index.js';

describe('summary.md', () => {
  it('has counts by status, each changed field with its users, the failed rows and the report folder', async () => {
    const rows = [
      row(2, 'a@x.test', 'updated'),
      row(3, 'b@x.test', 'updated', { changed: ['clidPolicy'] }),
      row(4, 'c@x.test', 'unchanged'),
      row(5, 'd@x.test', 'failed', { error: 'GET /users/call-processing-policy: 404 Not Found | user unknown' }),
      row(6, 'e@x.test', 'skipped'),
    ];
    const dir = await reportFolder(rows);
    await rebuildArtefacts(dir, runInfo());
    const md = await readFile(join(dir, 'summary.md'), 'utf8');

    expect(md).toMatch(/^## ❌ odin-bulk run "clid-migration": 5 rows: 2 updated, 1 unchanged, 1 failed, 1 skipped\n/);
    for (const [status, n] of [['updated', 2], ['unchanged', 1], ['planned', 0], ['failed', 1], ['conflict', 0], ['invalid', 0], ['skipped', 1]]) {
      expect(md).toContain(`| ${status} | ${n} |`);
    }
    expect(md).toContain('| **total** | **5** |');
    expect(md).toContain('### Changed fields');
    // clidPolicy changed for 2 users, useUserCLIDSetting for 1; failed rows' requested changes do not count.
    expect(md).toMatch(/\| clidPolicy \| 2 \|\n\| useUserCLIDSetting \| 1 \|/);
    expect(md).toContain('### Failed rows (1)');
    expect(md).toContain('| 5 | d@x.test | failed | GET /users/call-processing-policy: 404 Not Found \\| user unknown |');
    expect(md).toContain('exit code 1');
    expect(md).toContain(`Report folder: \`${dir}\``);
  });

  it('lists the first 50 failed rows and says how many more there are', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i + 2, `u${i}@x.test`, 'failed', { error: `boom ${i}` }));
    const dir = await reportFolder(rows);
    await rebuildArtefacts(dir, runInfo());
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('### Failed rows (60)');
    expect(md.match(/^\| \d+ \| u\d+@x\.test \| failed \| boom \d+ \|$/gm)).toHaveLength(50);
    expect(md).toContain('| 51 | u49@x.test | failed | boom 49 |');
    expect(md).not.toContain('u50@x.test');
    expect(md).toContain('… and 10 more: see failed.csv and results.csv in the report folder.');
    expect(md).toContain('No field was changed.');
  });

  it('speaks of a plan as fields that would change, and keeps markup out of table cells', async () => {
    const rows = [row(2, 'a@x.test', 'planned'), row(3, 'b@x.test', 'invalid', { error: '<img src=x onerror=alert(1)>\nline 2' })];
    const info = runInfo({ dryRun: true });
    const dir = await reportFolder(rows, info);
    await rebuildArtefacts(dir, info);
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^## ❌ odin-bulk plan /);
    expect(md).toContain('### Fields that would change');
    expect(md).toContain('| clidPolicy | 1 |');
    expect(md).toContain('| 3 | b@x.test | invalid | &lt;img src=x onerror=alert(1)&gt; line 2 |');
    expect(md).not.toContain('<img');
  });

  it('is appended to the GITHUB_STEP_SUMMARY file when the environment names one', async () => {
    const rows = [row(2, 'a@x.test', 'updated')];
    const dir = await reportFolder(rows);
    const stepSummary = join(await tempDir(), 'step-summary.md');
    await writeFile(stepSummary, '# earlier step\n');
    const outcome = await rebuildArtefacts(dir, runInfo(), { env: { GITHUB_STEP_SUMMARY: stepSummary } });
    expect(outcome.warnings).toEqual([]);
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(await readFile(stepSummary, 'utf8')).toBe(`# earlier step\n${md}\n`);
  });

  it('warns, without failing, when GITHUB_STEP_SUMMARY cannot be written; without it nothing is appended', async () => {
    const dir = await reportFolder([row(2, 'a@x.test', 'updated')]);
    const missing = join(dir, 'no-such-dir', 'summary.md');
    const outcome = await rebuildArtefacts(dir, runInfo(), { env: { GITHUB_STEP_SUMMARY: missing } });
    expect(outcome.warnings).toEqual([expect.stringContaining(`could not append summary.md to GITHUB_STEP_SUMMARY (${missing})`)]);
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'run.json', 'summary.json', 'summary.md']);
  });

  it('reports an aborted run as such', async () => {
    const rows = [row(2, 'a@x.test', 'updated'), row(3, 'b@x.test', 'skipped')];
    const dir = await reportFolder(rows, runInfo(), summaryOf(rows, { exitCode: 4 }));
    await rebuildArtefacts(dir, runInfo());
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toMatch(/^## ⚠️ odin-bulk run "clid-migration": 2 rows: 1 updated, 1 skipped \(aborted\)\n/);
  });
});
