import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ciWorkspace, expectRehearsal, GITHUB, GITLAB, loadYaml, odinBulkCalls, runGithubJob, runGitlabJob, scriptsOf } from './ci-runner.js';
import { readJson, REPO, runCli } from '../../kit/index.js';

/**
 * A rehearsal job as written, but for its canary's `--settle 1`, run as `--settle 0.05`: the settle is how long the
 * canary waits before it reads its users back, and the simulator reverts nothing; the read-back still runs. (As the
 * docs test runs `--rate` as `--rate 0`: it changes how long the job takes, nothing else.)
 */
function withShortSettle<T>(job: T): T {
  const text = JSON.stringify(job);
  expect(text.match(/--settle 1 /g)).toHaveLength(1);
  return JSON.parse(text.replace('--settle 1 ', '--settle 0.05 ')) as T;
}

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
        'run --canary --settle --out',
        'run --resume',
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

  it('install a pinned odin-bulk (the version this repository is at) into a repository of jobs and manifests, and cache it', async () => {
    const version = (await readJson(join(REPO, 'package.json'))).version as string;
    const install = 'npm install --global --no-audit --no-fund --prefer-offline "odin-bulk@$ODIN_BULK_VERSION"';
    // An exact version: every job of a pipeline, and every pipeline until the line is changed, runs the same odin-bulk.
    expect(github.env.ODIN_BULK_VERSION).toBe(version);
    expect(gitlab.variables.ODIN_BULK_VERSION).toBe(version);
    // docs/install.md shows the same pinned install.
    const installDoc = await readFile(join(REPO, 'docs/install.md'), 'utf8');
    expect([...installDoc.matchAll(/odin-bulk@(\d[\w.-]*)/g)].map((m) => m[1])).toEqual([version]);
    for (const [name, job] of Object.entries<any>(github.jobs)) {
      const uses = job.steps.map((s: any) => s.uses ?? s.name);
      const at = uses.indexOf('Install odin-bulk');
      // Cache restored before the install, the install before the first odin-bulk step.
      expect({ name, before: uses.slice(0, at) }).toEqual({ name, before: ['actions/checkout@v4', 'actions/setup-node@v4', 'actions/cache@v4'] });
      expect({ name, run: job.steps[at].run }).toEqual({ name, run: install });
      const firstUse = job.steps.findIndex((s: any) => /\bodin-bulk [a-z]/.test(s.run ?? ''));
      expect({ name, installedFirst: firstUse > at }).toEqual({ name, installedFirst: true });
      const cache = job.steps[at - 1].with;
      expect({ name, path: cache.path, key: cache.key }).toEqual({ name, path: '~/.npm', key: expect.stringContaining('${{ env.ODIN_BULK_VERSION }}') });
    }
    expect(gitlab.default.before_script).toEqual([install.replace('--prefer-offline ', '--prefer-offline --cache .npm ')]);
    expect(gitlab.default.cache).toEqual({ key: expect.stringContaining('$ODIN_BULK_VERSION'), paths: ['.npm/'] });
    // Nothing installs from a checkout of odin-bulk any more, and no registry is named: the organisation's .npmrc says which.
    for (const file of [GITHUB, GITLAB]) {
      const text = await readFile(file, 'utf8');
      expect({ file, fromCheckout: /npm ci|install[^\n]* \.(\s|$)/m.test(text), registry: /https?:\/\/|registry\.|--registry/.test(text) }).toEqual({
        file,
        fromCheckout: false,
        registry: false,
      });
    }
  });

  it('GitHub Actions: plan on pull request, apply on main, nightly sharded drift check, reports uploaded', () => {
    expect(Object.keys(github.on)).toEqual(expect.arrayContaining(['pull_request', 'push', 'schedule']));
    expect(github.on.push.branches).toEqual(['main']);
    const { rehearse, plan, canary, apply, drift } = github.jobs;
    const report = github.jobs['drift-report'];
    const runs = (job: any) => job.steps.filter((s: any) => s.run).map((s: any) => s.run as string).join('\n');

    expect(plan.if).toContain("'pull_request'");
    expect(runs(plan)).toMatch(/odin-bulk plan "\$ODIN_JOB"/);
    // On main: a canary, then (after a manual approval of another environment) its run continued with the same folder.
    expect(canary.if).toContain("github.ref == 'refs/heads/main'");
    expect(runs(canary)).toMatch(/^odin-bulk run "\$ODIN_JOB" --canary \d+ --settle \d+ --out reports\/apply$/m);
    expect(apply.needs).toBe('canary');
    expect(apply.environment).not.toBe(canary.environment);
    expect(runs(apply)).toBe('npm install --global --no-audit --no-fund --prefer-offline "odin-bulk@$ODIN_BULK_VERSION"\nodin-bulk run "$ODIN_JOB" --resume reports/apply');
    const download = apply.steps.find((s: any) => String(s.uses).startsWith('actions/download-artifact@'));
    const upload = canary.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(download.with).toEqual({ name: upload.with.name, path: 'reports/apply' });

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
      expect({ name, secrets: JSON.stringify(job).includes('secrets.') }).toEqual({ name, secrets: ['plan', 'canary', 'apply', 'drift'].includes(name) });
    }
    expect(JSON.stringify(rehearse)).not.toContain('secrets.');
  });

  it('GitLab CI: the same pipeline, with parallel jobs numbered into --shard', () => {
    const rules = (job: any) => JSON.stringify(job.rules);
    expect(rules(gitlab.plan)).toContain('merge_request_event');
    expect(gitlab.plan.script.join('\n')).toMatch(/odin-bulk plan "\$ODIN_JOB"/);
    expect(rules(gitlab.canary)).toContain('$CI_DEFAULT_BRANCH');
    expect(gitlab.canary.script).toEqual(['odin-bulk run "$ODIN_JOB" --canary 20 --settle 30 --out reports/apply']);
    // The approval: a manual job after the canary, continuing the canary's folder (its artefact).
    expect(gitlab.apply.rules).toEqual([{ if: gitlab.canary.rules[0].if, when: 'manual' }]);
    expect(gitlab.apply.needs).toEqual([{ job: 'canary', artifacts: true }]);
    expect(gitlab.apply.script).toEqual(['odin-bulk run "$ODIN_JOB" --resume reports/apply']);
    expect(gitlab.stages.indexOf('canary')).toBeLessThan(gitlab.stages.indexOf('apply'));
    expect(rules(gitlab.drift)).toContain('schedule');
    expect(gitlab.drift.parallel).toBeGreaterThan(1);
    expect(gitlab.drift.script.join('\n')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" --fail-on-changes');
    expect(gitlab['drift-report'].needs).toEqual([{ job: 'drift', artifacts: true }]);
    expect(gitlab['drift-report'].rules[0].when).toBe('always');
    for (const name of ['rehearse', 'plan', 'canary', 'apply', 'drift', 'drift-report']) {
      expect({ name, stage: gitlab.stages.includes(gitlab[name].stage), when: gitlab[name].artifacts.when }).toEqual({ name, stage: true, when: 'always' });
    }
  });

  describe('the rehearsal jobs run as written against the simulator they start', () => {
    it('GitHub Actions job "rehearse"', async () => {
      const ws = await ciWorkspace();
      const results = await runGithubJob(withShortSettle(github.jobs.rehearse), ws, { 'github.run_id': '4242' }, { env: github.env });
      expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(['Validate your job (offline, nothing is sent)', 'Stop the simulator']));
      await expectRehearsal(ws.cwd, results, '4242', join(ws.env.RUNNER_TEMP!, 'simulator.log'));
    });

    it('GitLab CI job "rehearse"', async () => {
      const ws = await ciWorkspace();
      const results = await runGitlabJob(withShortSettle(gitlab.rehearse), ws, { ...gitlab.variables, CI_PIPELINE_ID: '777' });
      await expectRehearsal(ws.cwd, results, '777', join(ws.cwd, 'simulator.log'));
    });

    it("the rehearsal validates the user's own job: a bad manifest stops it with exit 2 before the simulator starts", async () => {
      const ws = await ciWorkspace();
      await writeFile(join(ws.cwd, 'samples/clid-migration.csv'), 'userId,clidPolicy\nuser00001@sim.odin.test,use dn\n');
      const results = await runGithubJob(github.jobs.rehearse, ws, { 'github.run_id': '1' }, { env: github.env });
      const validate = results.find((r) => r.name === 'Validate your job (offline, nothing is sent)')!;
      expect(validate.code).toBe(2);
      expect(validate.output).toContain('samples/clid-migration.csv:2 clidPolicy');
      expect(results.map((r) => r.name)).not.toContain('Start the Odin simulator');
    });
  });
});
