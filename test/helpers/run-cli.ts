import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, as `npm test` builds it before jest runs. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `node dist/cli.js ARGS` as a user would, asynchronously (the simulator it talks to lives in this
 * process). The environment is exactly `env` plus NODE_OPTIONS='' (no inherited ODIN_* or jest flags).
 */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...options.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The three variables the CLI reads its connection from. */
export function odinEnv(sim: { url: string; username: string; password: string }): Record<string, string> {
  return { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
}
