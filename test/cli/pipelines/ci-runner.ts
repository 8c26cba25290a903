import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { expect } from '@jest/globals';
import { readJson, REPO, tempDir } from '../../kit/index.js';

export const GITHUB = join(REPO, 'docs/ci/github-actions.yml');
export const GITLAB = join(REPO, 'docs/ci/gitlab-ci.yml');

/** A YAML file parsed strictly: any error or warning fails the test that loads it. */
export async function loadYaml(file: string): Promise<any> {
  const doc = parseDocument(await readFile(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  const issues = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (issues.length) throw new Error(`${file} is not clean YAML:\n${issues.join('\n')}`);
  return doc.toJS();
}

export type OdinBulkCall = { subcommand: string; flags: string[]; text: string };

/** Every `odin-bulk SUBCOMMAND …` in a shell script (backslash continuations joined). */
export function odinBulkCalls(script: string): OdinBulkCall[] {
  const joined = script.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/(?:^|[\s;&|(])odin-bulk[ \t]+([^\n;&|]*)/g)].map((m) => {
    const tokens = m[1]!.trim().split(/\s+/);
    return {
      subcommand: tokens.find((t) => !t.startsWith('-')) ?? '',
      flags: tokens.filter((t) => t.startsWith('--')).map((t) => t.split('=')[0]!),
      text: `odin-bulk ${m[1]!.trim()}`,
    };
  });
}

/** The shell text of every step (GitHub `run`) or script line (GitLab `script`, `before_script`, `after_script`). */
export function scriptsOf(workflow: any): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'run' && typeof v === 'string') found.push({ where: `${path}.run`, text: v });
        else if (/^(before_|after_)?script$/.test(k) && Array.isArray(v)) found.push({ where: `${path}.${k}`, text: v.join('\n') });
        else walk(v, path ? `${path}.${k}` : k);
      }
    }
  };
  walk(workflow, '');
  return found;
}

export type ShellRun = { code: number; stdout: string; stderr: string };

export function bash(script: string, cwd: string, env: Record<string, string>): Promise<ShellRun> {
  return new Promise((resolve) => {
    // GitHub's default `run` shell; GitLab's bash executor also stops at the first failing line.
    // A step that hangs (an install waiting on the network) is killed, not left behind the test.
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A checkout of a user's repository (their jobs/ and the manifests they name: this repository's jobs/ and samples/
 * copied in) and odin-bulk as the workflows' "Install odin-bulk" step leaves it: installed globally, under an npm
 * prefix of its own (so `npm root --global` finds it) with `odin-bulk` on PATH. `installed` is what stands in the
 * prefix's lib/node_modules/odin-bulk: this repository (built dist/) by default; undefined leaves the prefix empty
 * for the job's own install step to fill.
 */
export async function ciWorkspace(installed: string | undefined = REPO): Promise<{ cwd: string; env: Record<string, string> }> {
  const root = await tempDir();
  const cwd = join(root, 'checkout');
  const prefix = join(root, 'npm-global');
  await mkdir(cwd);
  await mkdir(join(prefix, 'bin'), { recursive: true });
  await mkdir(join(prefix, 'lib/node_modules'), { recursive: true });
  for (const name of ['jobs', 'samples']) await cp(join(REPO, name), join(cwd, name), { recursive: true });
  if (installed) {
    await symlink(installed, join(prefix, 'lib/node_modules/odin-bulk'));
    await writeFile(join(prefix, 'bin/odin-bulk'), `#!/bin/sh\nexec "${process.execPath}" "${join(installed, 'dist/odin-bulk.mjs')}" "$@"\n`);
    await chmod(join(prefix, 'bin/odin-bulk'), 0o755);
  }
  await mkdir(join(root, 'runner-temp'));
  return {
    cwd,
    env: {
      PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: root,
      NODE_OPTIONS: '',
      RUNNER_TEMP: join(root, 'runner-temp'),
      npm_config_prefix: prefix,
    },
  };
}

export type StepResult = { name: string; code: number; output: string };

/**
 * Runs a GitHub Actions job's `run` steps as the runner would: in order, job env plus $GITHUB_ENV from earlier steps,
 * stopping at the first failure except for `if: always()` steps. `uses:` steps are skipped (ciWorkspace stands in for
 * checkout and setup-node), and so is "Install odin-bulk" unless `install` (ciWorkspace then has an empty prefix to
 * install into). `${{ … }}` expressions are replaced from `expressions`; any other one is an error.
 */
export async function runGithubJob(
  job: any,
  workspace: { cwd: string; env: Record<string, string> },
  expressions: Record<string, string>,
  /** `env`: the workflow's top-level env (below the job's and the step's), and anything the test adds. */
  options: { install?: boolean; env?: Record<string, unknown> } = {},
): Promise<StepResult[]> {
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in expressions)) throw new Error(`the rehearsal job uses \${{ ${expr} }}, which the test does not provide`);
      return expressions[expr]!;
    });
  const expandAll = (vars: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, expand(String(v))]));
  const envFile = join(workspace.cwd, '..', 'github-env');
  await writeFile(envFile, '');
  const results: StepResult[] = [];
  let failed = false;
  for (const step of job.steps as any[]) {
    if (step.uses || (step.name === 'Install odin-bulk' && !options.install)) continue;
    if (failed && step.if !== 'always()') continue;
    const fromEnvFile = Object.fromEntries(
      (await readFile(envFile, 'utf8')).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const env = { ...workspace.env, ...expandAll(options.env), ...expandAll(job.env), GITHUB_ENV: envFile, ...fromEnvFile, ...expandAll(step.env) };
    const r = await bash(expand(step.run), workspace.cwd, env);
    results.push({ name: step.name, code: r.code, output: r.stdout + r.stderr });
    if (r.code !== 0) failed = true;
  }
  return results;
}

/**
 * Runs a GitLab job's `before_script` and `script` in one shell (as the runner does), then its `after_script` in
 * another. `ci` holds the pipeline's variables and GitLab's own (CI_PIPELINE_ID); the job's `variables` are expanded
 * from them. `beforeScript` is the default's before_script (the install), run only when given.
 */
export async function runGitlabJob(
  job: any,
  workspace: { cwd: string; env: Record<string, string> },
  ci: Record<string, string>,
  beforeScript: readonly string[] = [],
): Promise<StepResult[]> {
  const variables = Object.fromEntries(
    Object.entries((job.variables ?? {}) as Record<string, string>).map(([k, v]) => [k, String(v).replace(/\$(\w+)/g, (_, name: string) => ci[name] ?? '')]),
  );
  const env = { ...workspace.env, ...ci, ...variables };
  const script = await bash([...beforeScript, ...(job.script as string[])].join('\n'), workspace.cwd, env);
  const after = await bash(((job.after_script ?? []) as string[]).join('\n'), workspace.cwd, env);
  return [
    { name: 'script', code: script.code, output: script.stdout + script.stderr },
    { name: 'after_script', code: after.code, output: after.stdout + after.stderr },
  ];
}

/** What a rehearsal leaves: a plan, an apply and a merged 3-shard drift check of the rehearsal job, and a stopped simulator. */
export async function expectRehearsal(cwd: string, results: StepResult[], id: string, simulatorLog: string): Promise<void> {
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
}

/** Polls until nothing listens at the simulator's URL, or fails after a deadline. */
export async function expectStopped(url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(`${url}/auth/session`).then(() => true, () => false);
    if (!answered) return;
    if (Date.now() > deadline) throw new Error(`the simulator at ${url} still answers after the rehearsal stopped it`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
