import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import type { startSimulator, Simulator } from '../../src/simulator/simulator.js';
import type { SimulatorOptions } from '../../src/simulator/types.js';
import { lazy } from './lazy.js';

/** The simulator's code, loaded when a test first starts one (lazy.ts). */
const loadSimulator = lazy(() => import('../../src/simulator/simulator.js'));
const loadStart = async (): Promise<typeof startSimulator> => (await loadSimulator()).startSimulator;

/**
 * A simulator on 127.0.0.1 (port 0) for the tests of the describe block (or file) it is called in: started before
 * them and closed after (`each`: a fresh one per test). `options` may be worked out first (e.g. certificates made
 * for it). Returns the simulator itself, usable inside the tests: `const sim = withSimulator({ users: 20 }); …
 * sim.setFields(…)`. `start`: how to start it (the library's own export, say).
 */
export function withSimulator(
  options: SimulatorOptions | (() => Promise<SimulatorOptions>) = {},
  { each = false, start }: { each?: boolean; start?: typeof startSimulator } = {},
): Simulator {
  let current: Simulator | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    current = await (start ?? (await loadStart()))(typeof options === 'function' ? await options() : options);
  });
  (each ? afterEach : afterAll)(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as Simulator, {
    get(_target, name) {
      if (!current) throw new Error(`the simulator is used outside the tests it was started for (${String(name)})`);
      const value = Reflect.get(current, name, current) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/**
 * For tests that need several simulators with their own options: the function this returns starts one (options as
 * `startSimulator` takes them, over `defaults`); every one it started is closed after the file's last test (`each`:
 * after each test).
 */
export function simulators(defaults: SimulatorOptions = {}, { each = false }: { each?: boolean } = {}): (options?: SimulatorOptions) => Promise<Simulator> {
  const started: Simulator[] = [];
  (each ? afterEach : afterAll)(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const sim = await (await loadStart())({ ...defaults, ...options });
    started.push(sim);
    return sim;
  };
}
