import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { writeClidManifest } from '../../kit/report-fixtures.js';
import { runCli, tempDir, withSimulator } from '../../kit/index.js';

const POLICY = '/users/call-processing-policy';

describe('odin-bulk run (spawned): --json, progress lines, --quiet, artefacts', () => {
  const sim = withSimulator({ users: 100, latencyMs: 20, record: false });
  let env: Record<string, string>;

  beforeAll(async () => {
    // Latency puts a floor under the run's length, so a 50 ms progress interval ticks several times.
    env = { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
  });

  it('--json prints exactly summary.json on stdout; progress lines, warnings and the human summary go to stderr', async () => {
    const dir = await tempDir();
    const manifest = await writeClidManifest(dir, 20, 1);
    const out = join(dir, 'report');
    const stepSummary = join(dir, 'step-summary.md');
    sim.script('PUT', POLICY, [400], { key: 'user00003@sim.odin.test' }); // a 400 is final: the row fails
    sim.script('PUT', POLICY, [503], { key: 'user00010@sim.odin.test' }); // retried once, then it succeeds
    const res = await runCli(
      ['run', '--manifest', manifest, '--out', out, '--json', '--rate', '0', '-c', '2', '--progress-interval', '0.05'],
      { env: { ...env, GITHUB_STEP_SUMMARY: stepSummary } },
    );
    expect(res.code).toBe(1);
    const summaryJson = await readFile(join(out, 'summary.json'), 'utf8');
    expect(res.stdout).toBe(summaryJson);
    expect(JSON.parse(res.stdout)).toMatchObject({ total: 20, failed: 1, retries: 1, exitCode: 1 });

    const progress = res.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/^progress: \d+\/20 rows \(\d+%\), [\d.]+ rows\/s, ETA \S+, [01] failed, [01] retries$/);
    expect(progress.at(-1)).toMatch(/^progress: 20\/20 rows done in [\d.]+s \([\d.]+ rows\/s\), 1 failed, 1 retry$/);
    expect(res.stderr).toMatch(/^warn: line 4 user00003@sim\.odin\.test: failed: PUT \/users\/call-processing-policy: /m);
    expect(res.stderr).toContain('Job "users": 20 rows: ');
    expect(res.stderr).toContain(`Reports: ${out}`);

    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| failed | 1 |');
    expect(await readFile(stepSummary, 'utf8')).toBe(`${md}\n`);
    await access(join(out, 'junit.xml'));
    await access(join(out, 'report.html'));
  });

  it('--quiet prints neither progress nor per-row warnings; the summary still goes to stdout', async () => {
    const dir = await tempDir();
    const manifest = await writeClidManifest(dir, 5, 21);
    sim.script('PUT', POLICY, [400], { key: 'user00022@sim.odin.test' });
    const res = await runCli(['run', '--manifest', manifest, '--out', join(dir, 'r'), '--quiet', '--rate', '0', '--retries', '0', '--progress-interval', '0.01'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^Job "users": 5 rows: .*1 failed/);
  });

  it('--quiet still prints errors that stop the job', async () => {
    const dir = await tempDir();
    const manifest = join(dir, 'bad.csv');
    await writeFile(manifest, 'userId,clidPolicy\nuser00030@sim.odin.test,use dn\n');
    const res = await runCli(['run', '--manifest', manifest, '--out', join(dir, 'r'), '--quiet', '--json'], { env });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^EMANIFEST_INVALID: .*bad\.csv has 1 problem; nothing was sent\n/);
  });

  it('refuses a progress interval out of range', async () => {
    const dir = await tempDir();
    const manifest = await writeClidManifest(dir, 1, 40);
    const res = await runCli(['run', '--manifest', manifest, '--progress-interval', '0'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--progress-interval: must be from 0.01 to 3600 seconds, got 0');
  });
});
