import autocannon from 'autocannon';
import { loginToken } from './request-loop.js';

/** The simulator's GET, hammered by autocannon: the HTTP ceiling a client could reach on this machine. */
export async function autocannonGet(url: string, env: Record<string, string>, connections: number, seconds: number): Promise<number> {
  const token = await loginToken(url, env);
  const result = await autocannon({
    url: `${url}/users/call-processing-policy?userId=user00001%40sim.odin.test`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.total / result.duration;
}
