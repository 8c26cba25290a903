import { createOdinClient } from '../../src/client/odin-client.js';
import { Secrets } from '../../src/logging/secrets.js';
import { findOperation } from '../../src/operations/registry.js';
import { simUser } from './manifests.js';
import { runFor } from './request-loop.js';

/**
 * The run's traffic through odin-bulk's own client and nothing else: for users 1..users in turn, `client.read`
 * then `client.write` of maxSimultaneousCalls (with its gates), `connections` at a time for `seconds`. The client is
 * configured as a run configures it with `--rate 0` (timeout, retries, the login and its token refresh, answers read
 * into the operation's fields); no manifest, comparison, journal, writes.ndjson, reports or run.log. Between bare got
 * pairs and the run, it splits the tool's cost into the client's part and the rows' part (docs/performance.md).
 */
export async function clientPairCeiling(url: string, env: Record<string, string>, connections: number, seconds: number, users: number): Promise<number> {
  const op = findOperation('user-call-processing-policy')!;
  const client = createOdinClient(
    { baseUrl: url, username: env.ODIN_USERNAME!, password: env.ODIN_PASSWORD!, rate: 0, retries: 4, timeoutMs: 30_000 },
    { secrets: new Secrets() },
  );
  let next = 0;
  try {
    await client.start();
    return await runFor(connections, seconds, async () => {
      const i = next++;
      const key = { userId: simUser((i % users) + 1) };
      const track = { requests: 0, retries: 0 };
      await client.read(op, key, track);
      await client.write(op, key, { useUserCallLimitsSetting: true, useMaxSimultaneousCalls: true, maxSimultaneousCalls: 600_000 + i }, track);
      return 2;
    });
  } finally {
    client.close();
  }
}
