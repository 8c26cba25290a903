import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { CLI, REPO, tempDir } from './helpers.js';

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
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A checkout-like folder (jobs/, samples/, docs/ linked from this repository) and an `odin-bulk` on PATH that runs
 * the built dist/cli.js: what the workflows' "Install odin-bulk" step provides on a real runner.
 */
export async function ciWorkspace(): Promise<{ cwd: string; env: Record<string, string> }> {
  const root = await tempDir();
  const cwd = join(root, 'checkout');
  const bin = join(root, 'bin');
  await mkdir(cwd);
  await mkdir(bin);
  for (const name of ['jobs', 'samples', 'docs']) await symlink(join(REPO, name), join(cwd, name));
  await writeFile(join(bin, 'odin-bulk'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(bin, 'odin-bulk'), 0o755);
  await mkdir(join(root, 'runner-temp'));
  return { cwd, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: root, NODE_OPTIONS: '', RUNNER_TEMP: join(root, 'runner-temp') } };
}

export type StepResult = { name: string; code: number; output: string };

/**
 * Runs a GitHub Actions job's `run` steps as the runner would: in order, job env plus $GITHUB_ENV from earlier steps,
 * stopping at the first failure except for `if: always()` steps. `uses:` steps and "Install odin-bulk" are what
 * ciWorkspace stands in for. `${{ … }}` expressions are replaced from `expressions`; any other one is an error.
 */
export async function runGithubJob(job: any, workspace: { cwd: string; env: Record<string, string> }, expressions: Record<string, string>): Promise<StepResult[]> {
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
    if (step.uses || step.name === 'Install odin-bulk') continue;
    if (failed && step.if !== 'always()') continue;
    const fromEnvFile = Object.fromEntries(
      (await readFile(envFile, 'utf8')).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const env = { ...workspace.env, ...expandAll(job.env), GITHUB_ENV: envFile, ...fromEnvFile, ...expandAll(step.env) };
    const r = await bash(expand(step.run), workspace.cwd, env);
    results.push({ name: step.name, code: r.code, output: r.stdout + r.stderr });
    if (r.code !== 0) failed = true;
  }
  return results;
}

/** Runs a GitLab job's `script` in one shell, then its `after_script` in another, as the runner does. */
export async function runGitlabJob(job: any, workspace: { cwd: string; env: Record<string, string> }, ci: Record<string, string>): Promise<StepResult[]> {
  const variables = Object.fromEntries(
    Object.entries((job.variables ?? {}) as Record<string, string>).map(([k, v]) => [k, String(v).replace(/\$(\w+)/g, (_, name: string) => ci[name] ?? '')]),
  );
  const env = { ...workspace.env, ...ci, ...variables };
  const script = await bash((job.script as string[]).join('\n'), workspace.cwd, env);
  const after = await bash(((job.after_script ?? []) as string[]).join('\n'), workspace.cwd, env);
  return [
    { name: 'script', code: script.code, output: script.stdout + script.stderr },
    { name: 'after_script', code: after.code, output: after.stdout + after.stderr },
  ];
}
