import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../../src/simulator/types.js';

export type SimProcess = {
  url: string;
  env: Record<string, string>;
  faults(settings: Record<string, unknown>): Promise<void>;
  /** Starts keeping a record of requests (clears the old one); off again with false. */
  record(on: boolean): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<SimulatorStats>;
  /** When each recorded API request (logins left out) was answered, in ms. */
  times(): Promise<number[]>;
  /** Recorded API requests by HTTP status. */
  statuses(): Promise<Record<string, number>>;
  close(): Promise<void>;
};

const SERVER = fileURLToPath(new URL('../sim-server.ts', import.meta.url));

/** Starts the built simulator in a separate process on 127.0.0.1 (port 0) and talks to it over IPC. */
export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child: ChildProcess = fork(SERVER, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  child.on('message', (m: { id: number; result: unknown }) => {
    waiting.get(m.id)?.(m.result);
    waiting.delete(m.id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = <T>(cmd: string, args?: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, resolve as (r: unknown) => void);
      child.send({ id, cmd, args }, (error) => error && reject(error));
    });
  const ready = await Promise.race([
    new Promise<{ url: string; username: string; password: string }>((resolve) => waiting.set(0, resolve as (r: unknown) => void)),
    exited.then(() => {
      throw new Error('the simulator process exited before it was ready');
    }),
  ]);
  if (!ready.url.startsWith('http://127.0.0.1:')) throw new Error(`the simulator must listen on 127.0.0.1, not ${ready.url}`);
  return {
    url: ready.url,
    env: { ODIN_BASE_URL: ready.url, ODIN_USERNAME: ready.username, ODIN_PASSWORD: ready.password },
    faults: (settings) => ask('faults', settings),
    record: (on) => ask('record', { on }),
    reset: () => ask('reset'),
    stats: () => ask('stats'),
    times: () => ask('times'),
    statuses: () => ask('statuses'),
    async close() {
      if (child.exitCode !== null) return;
      await ask('close').catch(() => undefined);
      await exited;
    },
  };
}
