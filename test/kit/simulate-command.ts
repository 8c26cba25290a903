import { afterEach } from '@jest/globals';
import { spawnCli, type Spawned } from './cli.js';
import { pollUntil } from './wait.js';

/**
 * `odin-bulk simulate ARGS` in the foreground, as a user starts it, for the tests of a describe block (or file): the
 * function this returns starts it and waits for its banner; each is stopped with SIGTERM after its test.
 */
export function simulateCommands(): (args: readonly string[]) => Promise<{ banner: string; url: string }> {
  let running: Spawned | undefined;
  afterEach(async () => {
    const run = running;
    running = undefined;
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
  return async (args) => {
    const run = spawnCli(['simulate', ...args]);
    running = run;
    await pollUntil(() => run.stdout().includes('ODIN_PASSWORD'), 'the simulator banner');
    const banner = run.stdout();
    return { banner, url: /listening on (\S+) /.exec(banner)![1]! };
  };
}
