import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { runSimulateCommand } from '../../../src/simulator/simulate-command.js';
import { shellQuote } from '../../../src/util/shell-quote.js';
import { startSimulator } from '../../../src/simulator/simulator.js';
import { call, login, POLICY, pollUntil } from '../../kit/index.js';

const U1 = 'user00001@sim.odin.test';

describe('simulator lifecycle and observability', () => {
  it('close() ends hanging and delayed requests and frees the port', async () => {
    const sim = await startSimulator({ hangRate: 1 });
    const token = await login(sim.url);
    const pending = Array.from({ length: 3 }, () => call(sim.url, 'GET', POLICY, { token, query: { userId: U1 } }));
    sim.script('PUT', POLICY, [{ delayMs: 60_000 }]);
    pending.push(call(sim.url, 'PUT', POLICY, { token, body: { userId: U1 } }));
    await pollUntil(() => sim.stats.inFlight === 4, 'four requests in flight');

    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1000);
    for (const p of pending) await expect(p).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(call(sim.url, 'GET', POLICY)).rejects.toThrow(/ECONNREFUSED/);
    await sim.close(); // twice is fine
  });

  it('counts requests even when recording is off, and masks passwords when it is on', async () => {
    const sim = await startSimulator({ record: false });
    try {
      const token = await login(sim.url);
      await call(sim.url, 'GET', POLICY, { token, query: { userId: U1 } });
      await call(sim.url, 'GET', POLICY, { token, query: { userId: 'user00002@sim.odin.test' } });
      expect(sim.requests).toHaveLength(0);
      expect(sim.count('GET', POLICY)).toBe(2);
      expect(sim.count('get', POLICY, U1)).toBe(1);
      expect(sim.count('POST', '/auth/token')).toBe(1);
      expect(sim.stats).toMatchObject({ total: 3, inFlight: expect.any(Number) });

      sim.record = true;
      await login(sim.url);
      expect(sim.requests).toEqual([
        { method: 'POST', path: '/auth/token', query: {}, key: undefined, body: { username: 'admin', password: '***' }, status: 200, at: expect.any(Number) },
      ]);
      sim.clearRequests();
      sim.resetStats();
      expect(sim.requests).toHaveLength(0);
      expect(sim.count('GET', POLICY)).toBe(0);
      expect(sim.stats.byRoute).toEqual({});
    } finally {
      await sim.close();
    }
  });

  it('refuses bad options', async () => {
    await expect(startSimulator({ users: -1 })).rejects.toThrow('Expected `users` to be an integer');
    await expect(startSimulator({ groupSize: 0 })).rejects.toThrow(TypeError);
    await expect(startSimulator({ hangRate: 2 })).rejects.toThrow('`hangRate`');
  });

  it('runSimulateCommand prints where it listens and stops on abort', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const controller = new AbortController();
    const done = runSimulateCommand({ users: 120, groupSize: 50, password: "it's" }, { stdout, signal: controller.signal });
    await pollUntil(() => out.includes('ODIN_PASSWORD'), 'the simulator banner');

    const url = /listening on (\S+) /.exec(out)![1]!;
    expect(out).toBe(
      `Odin simulator listening on ${url} (120 users in 3 groups)\n` +
        'dialect odin, BroadWorks R25\n' +
        `export ODIN_BASE_URL=${url}\nexport ODIN_USERNAME=admin\nexport ODIN_PASSWORD='it'\\''s'\n`,
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    expect(await login(url, 'admin', "it's")).toEqual(expect.any(String));
    controller.abort();
    await done;
    await expect(call(url, 'POST', '/auth/token')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('shellQuote leaves plain words alone', () => {
    expect(shellQuote('http://127.0.0.1:1/api/v2')).toBe('http://127.0.0.1:1/api/v2');
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
