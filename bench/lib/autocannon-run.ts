import autocannon from 'autocannon';

/** The simulator's GET, hammered by autocannon: the HTTP ceiling a client could reach on this machine. */
export async function autocannonGet(url: string, env: Record<string, string>, connections: number, seconds: number): Promise<number> {
  const login = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: env.ODIN_USERNAME, password: env.ODIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const result = await autocannon({
    url: `${url}/users/call-processing-policy?userId=user00001%40sim.odin.test`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.total / result.duration;
}
