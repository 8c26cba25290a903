import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../src/simulator/simulator.js';

/** The built CLI, spawned as a user would run it (the suite builds dist/ first: `npm test` runs `npm run build`). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export type CliRun = { code: number; stdout: string; stderr: string };

/** Runs `node dist/cli.js ARGS` (or another copy: `cli`) with only the given environment (plus PATH), never the developer's ODIN_*. */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; cli?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.cli ?? CLI, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...options.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The three variables `odin-bulk simulate` tells the operator to export, for a simulator started in the test. */
export function simEnv(sim: Simulator): Record<string, string> {
  return { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
}

/** A fresh temp folder holding the given files (paths relative to it). */
export async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'odin-bulk-pipelines-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

export async function readJson<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** A CLID manifest of simulator users `user00001…` (1-based numbers). */
export function clidManifest(numbers: readonly number[], extra: string[] = []): string {
  const rows = numbers.map((n) => `user${String(n).padStart(5, '0')}@sim.odin.test,true,Use Configurable CLID,Use DN`);
  return ['userId,useUserCLIDSetting,clidPolicy,emergencyClidPolicy', ...rows, ...extra].join('\n') + '\n';
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Fast settings for runs against the local simulator. */
export const FAST = ['--rate', '0', '--retries', '0', '--concurrency', '8'];
