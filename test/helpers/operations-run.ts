import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { resolveJob, type RunFlags } from '../../src/settings/resolve-job.js';
import { silentLogger } from '../../src/logging/create-logger.js';
import { Secrets } from '../../src/logging/secrets.js';
import { runJob, type JobOutcome } from '../../src/pipelines/run-job.js';
import type { Simulator } from '../../src/simulator/simulator.js';

export async function tempDir(prefix = 'odin-ops-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes files into `dir`; returns the path of the first. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

/** `run` in-process against the simulator: flags as the CLI would pass them, uncapped rate. */
export async function runAgainst(sim: Simulator, flags: RunFlags): Promise<JobOutcome> {
  const options = await resolveJob({ rate: 0, ...flags });
  return runJob(options, { baseUrl: sim.url, username: sim.username, password: sim.password }, {
    logger: silentLogger,
    secrets: new Secrets(),
    now: () => new Date(),
  });
}

export async function readCsv(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

export async function readJson<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliResult = { code: number; stdout: string; stderr: string };

/** The built binary, spawned as a user would run it (npm test builds dist/ first). */
export function runCli(args: string[], options: { cwd: string; sim?: Simulator }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_OPTIONS: '' };
  if (options.sim) {
    env.ODIN_BASE_URL = options.sim.url;
    env.ODIN_USERNAME = options.sim.username;
    env.ODIN_PASSWORD = options.sim.password;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
