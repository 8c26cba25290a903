import { startSimulator } from '../../../src/simulator/simulator.js';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { call, login, POLICY, pollUntil, withSimulator } from '../../kit/index.js';

const U1 = 'user00001@sim.odin.test';
const NO_FAULTS = { errorRate: 0, throttleRate: 0, hangRate: 0, capacity: 0, latencyMs: 0, latencyJitterMs: 0, faultAuth: false };

describe('simulator faults', () => {
  const sim = withSimulator({ seed: 11 });
  let token: string;
  const get = (opts: { timeoutMs?: number } = {}) => call(sim.url, 'GET', POLICY, { token, query: { userId: U1 }, ...opts });

  beforeAll(async () => {
    token = await login(sim.url);
  });
  afterEach(() => sim.setFaults(NO_FAULTS));

  it('errorRate 1 answers 500 or 503 with a JSON error body; /auth is spared unless faultAuth', async () => {
    sim.setFaults({ errorRate: 1 });
    for (let i = 0; i < 6; i++) {
      const res = await get();
      expect([500, 503]).toContain(res.status);
      expect(res.json).toEqual({ status: res.status, error: expect.any(String), details: expect.any(String) });
    }
    expect(await login(sim.url)).toEqual(expect.any(String));
    sim.setFaults({ faultAuth: true });
    expect([500, 503]).toContain((await call(sim.url, 'POST', '/auth/token', { body: { username: 'admin', password: 'simulator' } })).status);
  });

  it('throttleRate 1 answers 429 with Retry-After', async () => {
    sim.setFaults({ throttleRate: 1, retryAfterSeconds: 3 });
    const res = await get();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json).toMatchObject({ status: 429, error: 'Too Many Requests' });
    sim.setFaults({ retryAfterSeconds: 1 });
  });

  it('hangRate 1 never answers: the client gives up', async () => {
    sim.setFaults({ hangRate: 1 });
    await expect(get({ timeoutMs: 100 })).rejects.toThrow('timeout');
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: POLICY, key: U1, status: 0 });
    sim.setFaults({ hangRate: 0 });
    expect((await get()).status).toBe(200);
  });

  it('latency holds requests in flight: maxInFlight counts them', async () => {
    sim.setFaults({ latencyMs: 40, latencyJitterMs: 5 });
    await pollUntil(() => sim.stats.inFlight === 0, 'no request in flight');
    sim.resetStats();
    const results = await Promise.all(Array.from({ length: 6 }, () => get()));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sim.stats).toMatchObject({ total: 6, maxInFlight: 6, byRoute: { [`GET ${POLICY}`]: 6 } });
  });

  it('capacity: requests beyond it are answered 429 with Retry-After', async () => {
    sim.setFaults({ capacity: 2, latencyMs: 150 });
    await pollUntil(() => sim.stats.inFlight === 0, 'no request in flight');
    const results = await Promise.all(Array.from({ length: 5 }, () => get()));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const busy = results.find((r) => r.status === 429)!;
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.json.details).toMatch(/more than 2 requests in flight/);
  });

  it('repeats the same fault sequence for the same seed', async () => {
    const run = async () => {
      const s = await startSimulator({ seed: 99, errorRate: 0.4, throttleRate: 0.2 });
      try {
        const t = await login(s.url);
        const statuses: number[] = [];
        for (let i = 0; i < 25; i++) statuses.push((await call(s.url, 'GET', POLICY, { token: t, query: { userId: U1 } })).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
  });

  it('validates fault settings', () => {
    expect(() => sim.setFaults({ errorRate: 1.5 })).toThrow('Expected `errorRate` to be a number from 0 to 1, got `1.5` (number)');
    expect(() => sim.setFaults({ latencyMs: -1 })).toThrow(TypeError);
    expect(() => sim.setFaults({ latency: 5 } as never)).toThrow('Unknown fault setting `latency`');
    expect(sim.faults.errorRate).toBe(0);
  });
});
