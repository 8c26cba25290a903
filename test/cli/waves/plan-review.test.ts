import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { OP, runCli, tempDir, withSimulator } from '../../kit/index.js';
import { reportFolder, row, runInfo, summaryOf } from '../../kit/report-fixtures.js';

describe('the plan review through the built binary', () => {
  const sim = withSimulator({ users: 40, seed: 15 });

  it('plan prints the review before its summary; odin-bulk show DIR prints the same review; summary.md and report.html hold it', async () => {
    const dir = await tempDir();
    const users = sim.userIds().slice(0, 4);
    sim.setFields(OP, users[0]!, { useUserCLIDSetting: false, clidPolicy: 'Use DN' });
    sim.setFields(OP, users[1]!, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    sim.setFields(OP, users[2]!, { useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    sim.setFields(OP, users[3]!, { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' });
    const manifest = join(dir, 'users.csv');
    await writeFile(manifest, ['userId,clidPolicy', ...users.map((u) => `${u},Use Configurable CLID`)].join('\n') + '\n');
    const out = join(dir, 'plan');
    const plan = await runCli(['plan', '--manifest', manifest, '--out', out, '--rate', '0', '--show', '2'], { sim });
    expect(plan.code).toBe(0);
    const review = [
      'Value transitions (3 users would change):',
      '  clidPolicy: "Use DN" → "Use Configurable CLID"          2 users',
      '              "Use Group CLID" → "Use Configurable CLID"  1 user',
      'Gate warnings (the change has no effect while the gate is off; --strict-gates refuses these rows):',
      '  ! clidPolicy has no effect while useUserCLIDSetting is false: 1 user',
      '      clidPolicy: "Use DN" → "Use Configurable CLID"      1 user',
      'First 2 of 3 users:',
      `  ~ ${users[0]}  clidPolicy: "Use DN" → "Use Configurable CLID"`,
      `  ~ ${users[1]}  clidPolicy: "Use DN" → "Use Configurable CLID"`,
      '  … and 1 more user (results.csv, report.html)',
    ];
    expect(plan.stdout.split('\n').slice(0, review.length + 1)).toEqual([...review, expect.stringMatching(/^Plan "users": 4 rows: 1 unchanged, 3 planned in /)]);

    const shown = await runCli(['show', out, '--show', '2']);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^plan "users": ${OP} on .*users\\.csv, started \\S+: 4 rows: 1 unchanged, 3 planned, exit code 0$`));
    expect(lines.slice(1)).toEqual([...review, `Apply it: odin-bulk apply ${out}`, '']);

    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| clidPolicy | "Use DN" | "Use Configurable CLID" | 2 |\n| clidPolicy | "Use Group CLID" | "Use Configurable CLID" | 1 |\n');
    expect(md).toContain('- clidPolicy has no effect while useUserCLIDSetting is false: 1 user; clidPolicy: "Use DN" → "Use Configurable CLID" (1)\n');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="review"><h2>Value transitions (3 users would change)</h2>');
    expect(html).toContain('<tr><td>clidPolicy</td><td>&quot;Use Group CLID&quot;</td><td>&quot;Use Configurable CLID&quot;</td><td class="num">1</td></tr>');
  });

  it('show reads an older folder (results.json with attempts, no waiting status, no version) and a run folder says "changed"', async () => {
    const rows = [
      row(2, 'user00001@sim.odin.test', 'updated', { requests: undefined, attempts: 2 }),
      row(3, 'user00002@sim.odin.test', 'unchanged', { requests: undefined, attempts: 1 }),
      row(4, 'user00003@sim.odin.test', 'skipped', { requests: undefined, attempts: 0 }),
    ];
    const { waiting: _, ...olderSummary } = summaryOf(rows);
    const dir = await reportFolder(rows, runInfo(), olderSummary);
    const shown = await runCli(['show', dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')).toEqual([
      'run "clid-migration": user-call-processing-policy on samples/clid-migration.csv, started 2026-01-01T00:00:00.000Z: 3 rows: 1 updated, 1 unchanged, 1 skipped, exit code 0',
      'Value transitions (1 user changed):',
      '  useUserCLIDSetting: false → true                1 user',
      '  clidPolicy: "Use DN" → "Use Configurable CLID"  1 user',
      'The 1 user:',
      '  ~ user00001@sim.odin.test  useUserCLIDSetting: false → true',
      '                             clidPolicy: "Use DN" → "Use Configurable CLID"',
      '',
    ]);
  });

  it('show of a folder that is not a finished report folder, and --show on a real run, are input errors (exit 2)', async () => {
    const empty = await tempDir();
    const notFolder = await runCli(['show', empty]);
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toContain(`${empty} is not a report folder of odin-bulk: it has no readable run.json`);
    const unfinished = await tempDir();
    await writeFile(join(unfinished, 'run.json'), JSON.stringify(runInfo()));
    const res = await runCli(['show', unfinished]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${unfinished} has no results.json: its run did not finish`);
    const dir = await tempDir();
    await writeFile(join(dir, 'u.csv'), 'userId,clidPolicy\nuser00001@sim.odin.test,Use DN\n');
    const run = await runCli(['run', '--manifest', join(dir, 'u.csv'), '--show', '3'], { sim });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--show: only goes with `odin-bulk plan` or --dry-run');
  });
});
