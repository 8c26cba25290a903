import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../src/simulator/simulator.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliResult = { code: number; stdout: string; stderr: string };

/** The built binary, spawned as a user would, pointed at the simulator. `npm test` builds dist/ first. */
export function runCli(args: string[], sim: Simulator, cwd: string): Promise<CliResult> {
  const env = { ...process.env, NODE_OPTIONS: '', ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'odin-bulk-perf-'));
}

/** A manifest for seeded users 1..rows setting maxSimultaneousCalls (with its gates) to `value`. */
export async function writeManifest(dir: string, rows: number, value: number): Promise<string> {
  const lines = ['userId,useUserCallLimitsSetting,useMaxSimultaneousCalls,maxSimultaneousCalls'];
  for (let i = 1; i <= rows; i++) lines.push(`${simUser(i)},true,true,${value}`);
  const file = join(dir, 'users.csv');
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

export const simUser = (i: number) => `user${String(i).padStart(5, '0')}@sim.odin.test`;
