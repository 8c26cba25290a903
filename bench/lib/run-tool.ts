import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary; ODIN_BULK_BENCH_CLI names another build's binary (dist/odin-bulk.mjs), to measure it under the same harness. */
export const CLI = process.env.ODIN_BULK_BENCH_CLI ?? fileURLToPath(new URL('../../dist/odin-bulk.mjs', import.meta.url));
const TIME = '/usr/bin/time';

export type Summary = { total: number; updated: number; unchanged: number; failed: number; requests: number; retries: number; durationMs: number; exitCode: number };

export type ToolRun = {
  /** From spawn to exit, node's start-up included. */
  wallMs: number;
  /** When it was spawned and when it ended, in ms since the epoch (performance.timeOrigin + now: the simulator's clock). */
  startedAt: number;
  endedAt: number;
  /** Peak resident set size of the tool's process. */
  peakRssBytes: number;
  /** CPU time the tool's process used, user + system (GNU time; NaN without it). */
  cpuMs: number;
  summary: Summary;
  exitCode: number;
};

/** How peak RSS is measured here: GNU time when present, else sampling /proc/PID/status VmHWM. */
export const RSS_METHOD = existsSync(TIME) ? '/usr/bin/time -v (maximum resident set size)' : '/proc/PID/status VmHWM, sampled every 50 ms';

/** Runs the BUILT binary as a user would: `node dist/odin-bulk.mjs run --manifest FILE --out DIR …`. */
export async function runTool(args: string[], env: Record<string, string>, outDir: string): Promise<ToolRun> {
  const { exitCode, wallMs, startedAt, endedAt, peakRssBytes, cpuMs, stdout, stderr } = await spawnMeasured(['run', ...args, '--out', outDir], env);
  const summaryText = await readFile(join(outDir, 'summary.json'), 'utf8').catch(() => undefined);
  if (!summaryText) throw new Error(`the run wrote no summary.json (exit ${exitCode})\n${stdout}\n${stderr.slice(-2000)}`);
  return { wallMs, startedAt, endedAt, peakRssBytes, cpuMs, summary: JSON.parse(summaryText) as Summary, exitCode };
}

type Measured = { exitCode: number; wallMs: number; startedAt: number; endedAt: number; peakRssBytes: number; cpuMs: number; stdout: string; stderr: string };

/** The built binary with these arguments, its wall time, peak RSS and CPU time (GNU time, or sampling VmHWM). */
export async function spawnMeasured(cliArgs: string[], env: Record<string, string>): Promise<Measured> {
  const argv = [CLI, ...cliArgs];
  const useTime = existsSync(TIME);
  const started = performance.now();
  const child = spawn(useTime ? TIME : process.execPath, useTime ? ['-v', process.execPath, ...argv] : argv, {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let sampled = 0;
  const sampler = useTime ? undefined : setInterval(() => void readHwm(child.pid).then((kb) => (sampled = Math.max(sampled, kb))), 50);
  const exitCode = await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? -1)));
  const wallMs = performance.now() - started;
  if (sampler) clearInterval(sampler);
  const kb = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) : sampled;
  const seconds = (name: string) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? NaN);
  return { exitCode, wallMs, startedAt: performance.timeOrigin + started, endedAt: performance.timeOrigin + started + wallMs, peakRssBytes: kb * 1024, cpuMs: (seconds('User') + seconds('System')) * 1000, stdout, stderr };
}

async function readHwm(pid: number | undefined): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+) kB/.exec(text)?.[1] ?? 0);
}
