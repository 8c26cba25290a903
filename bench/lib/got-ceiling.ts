import { Agent } from 'node:http';
import got from 'got';

/**
 * Bare GETs through got (keep-alive, text body, JSON.parse), `connections` at a time for `seconds`: the most a
 * got-based client can do on this machine with no other work, to put the run's CPU-bound figure in context.
 */
export async function gotCeiling(url: string, env: Record<string, string>, connections: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  try {
    const { token } = await got.post(`${url}/auth/token`, { json: { username: env.ODIN_USERNAME, password: env.ODIN_PASSWORD }, agent: { http: agent } }).json<{ token: string }>();
    const api = got.extend({ prefixUrl: url, agent: { http: agent }, headers: { authorization: `Bearer ${token}` }, responseType: 'text' });
    const until = performance.now() + seconds * 1000;
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const res = await api.get('users/call-processing-policy', { searchParams: { userId: 'user00001@sim.odin.test' } });
          JSON.parse(res.body);
          done++;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}
