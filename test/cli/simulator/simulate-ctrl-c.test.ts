import { describe, expect, it } from '@jest/globals';
import { spawnCli } from '../../kit/index.js';

// `odin-bulk simulate` in a script: start it in the background, wait for its export lines, stop it with Ctrl-C.
// A Ctrl-C that comes the moment the lines are printed must stop the simulator as Ctrl-C does (exit 0), not kill it:
// it once printed the lines before it took Ctrl-C over, and a script that was quick enough killed it (signal SIGINT).

describe('odin-bulk simulate stopped by Ctrl-C as soon as it has said where it listens', () => {
  it('ends with exit code 0 every time (five starts, each interrupted on reading ODIN_PASSWORD=)', async () => {
    const endings: { code: number | null; signal: string | null }[] = [];
    for (let i = 0; i < 5; i++) {
      const run = spawnCli(['simulate', '--users', '10']);
      let sent = false;
      run.child.stdout!.on('data', () => {
        if (!sent && run.stdout().includes('export ODIN_PASSWORD=')) {
          sent = true;
          run.child.kill('SIGINT');
        }
      });
      endings.push(await run.exited);
      expect(sent).toBe(true);
    }
    expect(endings).toEqual(Array.from({ length: 5 }, () => ({ code: 0, signal: null })));
  });
});
