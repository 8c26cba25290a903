import { spawn, type ChildProcess } from 'node:child_process';
import type { Simulator } from '../../src/simulator/simulator.js';
import { CLI } from './paths.js';

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export type CliOptions = {
  cwd?: string;
  /** Added to the environment the binary gets, which is otherwise only PATH and NODE_OPTIONS='' (never the developer's ODIN_*). */
  env?: NodeJS.ProcessEnv;
  /** Points ODIN_BASE_URL, ODIN_USERNAME and ODIN_PASSWORD at this simulator. */
  sim?: Pick<Simulator, 'url' | 'username' | 'password'>;
  /** Another copy of the binary (an installed package). @default dist/odin-bulk.mjs */
  cli?: string;
};

/** The three variables the CLI reads its connection from, for a simulator the test started. */
export function odinEnv(sim: Pick<Simulator, 'url' | 'username' | 'password'>): Record<string, string> {
  return { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...(options.sim ? odinEnv(options.sim) : {}), ...options.env };
}

export type Spawned = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** The built binary, spawned as a user would run it (stdout and stderr are pipes), for a test to signal or kill. */
export function spawnCli(args: readonly string[], options: CliOptions = {}): Spawned {
  const child = spawn(process.execPath, [options.cli ?? CLI, ...args], { cwd: options.cwd, env: environment(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Runs `node dist/odin-bulk.mjs ARGS` as a user would, asynchronously (a simulator the test started keeps serving it).
 * `onStart` gets the child, e.g. to signal it. A run that outlives `timeoutMs` is killed and fails the test.
 */
export async function runCli(args: readonly string[], options: CliOptions & { timeoutMs?: number; onStart?: (child: ChildProcess) => void } = {}): Promise<CliResult> {
  const run = spawnCli(args, options);
  options.onStart?.(run.child);
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`odin-bulk ${args.join(' ')} did not finish in ${timeoutMs} ms\n${run.stderr()}`));
    }, timeoutMs);
  });
  try {
    const { code, signal } = await Promise.race([run.exited, late]);
    return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

export type OnTerminal = {
  child: ChildProcess;
  /** Everything the terminal showed (stdout and stderr share it), escape sequences and all. */
  screen: () => string;
  /** Types a line, as a user at the terminal would. */
  type: (line: string) => void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * The built binary on a pseudo-terminal (util-linux `script`), for what only happens on a terminal (`--confirm`):
 * stdin and stderr are a TTY. Its exit code is the binary's (`script -e`).
 */
export function spawnOnTerminal(args: readonly string[], options: CliOptions = {}): OnTerminal {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, options.cli ?? CLI, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: { ...environment(options), TERM: 'dumb', COLUMNS: '200' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (screen += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (screen += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, screen: () => screen, type: (line) => child.stdin!.write(`${line}\n`), exited };
}
