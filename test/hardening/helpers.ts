import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { Simulator } from '../../src/simulator/simulator.js';

export const CLI = resolve('dist/cli.js');
export const POLICY = '/users/call-processing-policy';
export const OP = 'user-call-processing-policy';

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix = 'odin-bulk-hardening-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes files (name → text or bytes) into a fresh temp dir and returns its path. */
export async function tempFiles(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** The environment the spawned CLI gets: no inherited jest flags, credentials for the simulator. */
export function simEnv(sim: Pick<Simulator, 'url' | 'username' | 'password'>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: '',
    ODIN_BASE_URL: sim.url,
    ODIN_USERNAME: sim.username,
    ODIN_PASSWORD: sim.password,
    ...extra,
  };
}

/**
 * Runs the built CLI as a user would (async, so this process's simulator keeps serving it).
 * `onStart` gets the child, e.g. to kill it mid-run. A run that outlives `timeoutMs` is killed and fails the test.
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; timeoutMs?: number; onStart?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`odin-bulk ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    opts.onStart?.(child);
  });
}

/** A CSV report as objects keyed by header. */
export async function readCsv(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

export async function readJson<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Every file below `dir`, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const name of names) if ((await stat(join(dir, name))).isFile()) files.push(name);
  return files.sort();
}

/** Polls until `condition` resolves true, failing after a deadline (no fixed sleeps). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const exec = promisify(execFile);

/**
 * A throw-away CA and a server certificate it signs for 127.0.0.1, made with the openssl CLI.
 * Returns the PEM texts and the CA file's path (for --ca-file).
 */
export async function makeCertificates(dir: string): Promise<{ caFile: string; ca: string; key: string; cert: string }> {
  const at = (name: string) => join(dir, name);
  const ssl = (...args: string[]) =>
    exec('openssl', args, { cwd: dir }).catch((error: Error) => {
      throw new Error(`the TLS tests need the openssl CLI (apt-get install openssl): ${error.message}`);
    });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=odin-bulk test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  const [ca, key, cert] = await Promise.all(['ca.pem', 'server.key', 'server.pem'].map((f) => readFile(at(f), 'utf8')));
  return { caFile: at('ca.pem'), ca: ca!, key: key!, cert: cert! };
}
