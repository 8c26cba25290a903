import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO, readJson, runCli } from './helpers.js';
import { ciWorkspace, loadYaml, odinBulkCalls, runGithubJob, runGitlabJob, scriptsOf, type StepResult } from './ci-runner.js';

const GITHUB = join(REPO, 'docs/ci/github-actions.yml');
const GITLAB = join(REPO, 'docs/ci/gitlab-ci.yml');

/** Whether `text` (yargs --help output) lists `flag` as an option. */
const listsFlag = (help: string, flag: string) => new RegExp(`(^|[\\s,])${flag}(?=\\s|$)`, 'm').test(help);

describe('docs/ci workflows', () => {
  let github: any;
  let gitlab: any;
  beforeAll(async () => {
    [github, gitlab] = await Promise.all([loadYaml(GITHUB), loadYaml(GITLAB)]);
  });

  it('run only real odin-bulk subcommands and flags (checked against --help of the built CLI)', async () => {
    const calls = [...scriptsOf(github), ...scriptsOf(gitlab)].flatMap((s) => odinBulkCalls(s.text).map((c) => ({ ...c, where: s.where })));
    // The extraction finds what the pipelines are for; if it found nothing, the checks below would prove nothing.
    const used = new Set(calls.map((c) => `${c.subcommand} ${c.flags.join(' ')}`.trim()));
    expect([...used]).toEqual(
      expect.arrayContaining([
        'simulate --users',
        'validate',
        'plan --out',
        'run --out',
        'plan --shard --fail-on-changes --out',
        'merge-reports --out',
      ]),
    );
    const top = await runCli(['--help']);
    const helps = new Map<string, string>();
    for (const sub of new Set(calls.map((c) => c.subcommand))) {
      expect({ sub, listed: new RegExp(`^\\s+odin-bulk ${sub}( |$)`, 'm').test(top.stdout) }).toEqual({ sub, listed: true });
      const help = await runCli([sub, '--help']);
      expect(help.code).toBe(0);
      helps.set(sub, help.stdout);
    }
    const unknown = calls.flatMap((c) => c.flags.filter((f) => !listsFlag(helps.get(c.subcommand)!, f)).map((f) => `${c.where}: ${c.text}: ${f}`));
    expect(unknown).toEqual([]);
  });

  it('GitHub Actions: plan on pull request, apply on main, nightly sharded drift check, reports uploaded', () => {
    expect(Object.keys(github.on)).toEqual(expect.arrayContaining(['pull_request', 'push', 'schedule']));
    expect(github.on.push.branches).toEqual(['main']);
    const { rehearse, plan, apply, drift } = github.jobs;
    const report = github.jobs['drift-report'];
    const runs = (job: any) => job.steps.filter((s: any) => s.run).map((s: any) => s.run as string).join('\n');

    expect(plan.if).toContain("'pull_request'");
    expect(runs(plan)).toMatch(/odin-bulk plan "\$ODIN_JOB"/);
    expect(apply.if).toContain("github.ref == 'refs/heads/main'");
    expect(runs(apply)).toMatch(/odin-bulk run "\$ODIN_JOB"/);
    expect(runs(apply)).not.toContain('--dry-run');

    // The matrix and --shard agree: shard ${{ matrix.shard }} of as many shards as the matrix has.
    const shards: number[] = drift.strategy.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    expect(runs(drift)).toContain(`--shard "\${{ matrix.shard }}/${shards.length}" --fail-on-changes`);
    expect(drift.strategy['fail-fast']).toBe(false);
    expect(github.on.schedule[0].cron).toMatch(/^[\d*/ ,-]+$/);
    expect(report.needs).toBe('drift');
    expect(report.if).toContain('always()');
    expect(runs(report)).toContain('odin-bulk merge-reports');

    // Every job keeps its report folder, failed or not; only the jobs that talk to the real Odin get the secrets.
    for (const [name, job] of Object.entries<any>(github.jobs)) {
      const upload = job.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact@'));
      expect({ name, upload: upload && { if: upload.if, path: upload.with.path } }).toEqual({
        name,
        upload: { if: 'always()', path: expect.stringMatching(/^reports\//) },
      });
      expect({ name, secrets: JSON.stringify(job).includes('secrets.') }).toEqual({ name, secrets: ['plan', 'apply', 'drift'].includes(name) });
    }
    expect(JSON.stringify(rehearse)).not.toContain('secrets.');
  });

  it('GitLab CI: the same pipeline, with parallel jobs numbered into --shard', () => {
    const rules = (job: any) => JSON.stringify(job.rules);
    expect(rules(gitlab.plan)).toContain('merge_request_event');
    expect(gitlab.plan.script.join('\n')).toMatch(/odin-bulk plan "\$ODIN_JOB"/);
    expect(rules(gitlab.apply)).toContain('$CI_DEFAULT_BRANCH');
    expect(gitlab.apply.script.join('\n')).toMatch(/odin-bulk run "\$ODIN_JOB"/);
    expect(rules(gitlab.drift)).toContain('schedule');
    expect(gitlab.drift.parallel).toBeGreaterThan(1);
    expect(gitlab.drift.script.join('\n')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" --fail-on-changes');
    expect(gitlab['drift-report'].needs).toEqual([{ job: 'drift', artifacts: true }]);
    expect(gitlab['drift-report'].rules[0].when).toBe('always');
    for (const name of ['rehearse', 'plan', 'apply', 'drift', 'drift-report']) {
      expect({ name, stage: gitlab.stages.includes(gitlab[name].stage), when: gitlab[name].artifacts.when }).toEqual({ name, stage: true, when: 'always' });
    }
  });

  describe('the rehearsal jobs run as written against the simulator they start', () => {
    const expectRehearsal = async (cwd: string, results: StepResult[], id: string, simulatorLog: string) => {
      const failed = results.filter((r) => r.code !== 0);
      expect(failed.map((r) => `${r.name}: exit ${r.code}\n${r.output}`)).toEqual([]);
      const dir = join(cwd, 'reports/rehearsal');
      expect(await readJson(join(dir, 'plan/summary.json'))).toMatchObject({ total: 40, planned: 40, exitCode: 0 });
      expect(await readJson(join(dir, 'apply/summary.json'))).toMatchObject({ total: 40, updated: 40, failed: 0, exitCode: 0 });
      expect(await readJson(join(dir, 'drift/summary.json'))).toMatchObject({ total: 40, unchanged: 40, exitCode: 0 });
      expect(await readJson(join(dir, 'drift/run.json'))).toMatchObject({ job: `rehearsal-${id}`, merged: { missingShards: [] } });
      // The last step stopped the simulator: its port no longer answers.
      const log = await readFile(simulatorLog, 'utf8');
      const url = /^export ODIN_BASE_URL=(\S+)$/m.exec(log)![1]!;
      await expectStopped(url);
    };

    it('GitHub Actions job "rehearse"', async () => {
      const ws = await ciWorkspace();
      const results = await runGithubJob(github.jobs.rehearse, ws, { 'github.run_id': '4242' });
      expect(results.map((r) => r.name)).toContain('Stop the simulator');
      await expectRehearsal(ws.cwd, results, '4242', join(ws.env.RUNNER_TEMP!, 'simulator.log'));
    });

    it('GitLab CI job "rehearse"', async () => {
      const ws = await ciWorkspace();
      const results = await runGitlabJob(gitlab.rehearse, ws, { CI_PIPELINE_ID: '777' });
      await expectRehearsal(ws.cwd, results, '777', join(ws.cwd, 'simulator.log'));
    });
  });
});

/** Polls until nothing listens at the simulator's URL, or fails after a deadline. */
async function expectStopped(url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(`${url}/auth/session`).then(() => true, () => false);
    if (!answered) return;
    if (Date.now() > deadline) throw new Error(`the simulator at ${url} still answers after the rehearsal stopped it`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
