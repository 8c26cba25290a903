import { Agent } from 'node:http';
import got, { type Got } from 'got';
import { simUser } from './manifests.js';
import { loginToken, runFor } from './request-loop.js';

/**
 * Bare GETs through got (keep-alive, text body, JSON.parse), `connections` at a time for `seconds`: the most a
 * got-based client can do on this machine with no other work, to put the run's CPU-bound figure in context.
 */
export async function gotCeiling(url: string, env: Record<string, string>, connections: number, seconds: number): Promise<number> {
  return withGot(url, env, async (api) =>
    runFor(connections, seconds, async () => {
      const res = await api.get('users/call-processing-policy', { searchParams: { userId: simUser(1) } });
      JSON.parse(res.body);
      return 1;
    }),
  );
}

/**
 * The run's own traffic without the tool: for users 1..users in turn, a GET then a PUT of maxSimultaneousCalls
 * (with its gates), through got. The run's requests/s against this is what the tool itself costs.
 */
export async function gotPairCeiling(url: string, env: Record<string, string>, connections: number, seconds: number, users: number): Promise<number> {
  let next = 0;
  return withGot(url, env, async (api) =>
    runFor(connections, seconds, async () => {
      const i = next++;
      await sendPair(api, simUser((i % users) + 1), 500_000 + i);
      return 2;
    }),
  );
}

/**
 * The latency-bound run's traffic without the tool: users 1..users once each, a GET then a PUT setting
 * maxSimultaneousCalls to `value`, `connections` at a time. Returns the wall time in ms: how close got alone
 * comes to the ideal on this machine, beside the same simulator.
 */
export async function gotPairsOnce(url: string, env: Record<string, string>, connections: number, users: number, value: number): Promise<number> {
  let next = 0;
  return withGot(url, env, async (api) => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = next++; i < users; i = next++) await sendPair(api, simUser(i + 1), value);
      }),
    );
    return performance.now() - started;
  });
}

async function sendPair(api: Got, userId: string, value: number): Promise<void> {
  JSON.parse((await api.get('users/call-processing-policy', { searchParams: { userId } })).body);
  const body = { userId, useUserCallLimitsSetting: true, useMaxSimultaneousCalls: true, maxSimultaneousCalls: value };
  JSON.parse((await api.put('users/call-processing-policy', { json: body })).body);
}

async function withGot(url: string, env: Record<string, string>, use: (api: Got) => Promise<number>): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  try {
    const token = await loginToken(url, env);
    return await use(got.extend({ prefixUrl: url, agent: { http: agent }, headers: { authorization: `Bearer ${token}` }, responseType: 'text' }));
  } finally {
    agent.destroy();
  }
}
