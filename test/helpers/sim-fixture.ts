import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { SimulatorOptions } from '../../src/simulator/types.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * A simulator on 127.0.0.1 (port 0) and a fresh temp folder for every test (`scope: 'each'`) or for the whole
 * file (`'all'`), handed to `use`; both are closed and removed afterwards.
 */
export function withSimulatorAndDir(options: SimulatorOptions, use: (sim: Simulator, dir: string) => void, scope: 'each' | 'all' = 'each'): void {
  let sim: Simulator | undefined;
  let dir: string | undefined;
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    sim = await startSimulator(options);
    dir = await makeTempDir();
    use(sim, dir);
  });
  after(async () => {
    await sim?.close();
    await removeTempDir(dir);
  });
}
