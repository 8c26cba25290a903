/** The simulator's bearer token, fetched once for a bare client (no refresh: the loops are seconds long). */
export async function loginToken(url: string, env: Record<string, string>): Promise<string> {
  const login = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: env.ODIN_USERNAME, password: env.ODIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login to the simulator failed: HTTP ${login.status}`);
  return ((await login.json()) as { token: string }).token;
}

/**
 * `connections` loops, each awaiting `step` (which returns how many requests it made) until `seconds` are up:
 * requests per second over the whole time.
 */
export async function runFor(connections: number, seconds: number, step: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const made = await step(); // not `done += await step()`: that would read `done` before the await
        done += made;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}
