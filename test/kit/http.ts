import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';

export type CallResult = { status: number; headers: IncomingHttpHeaders; text: string; json: any };

export type CallOptions = {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (wins over body). */
  rawBody?: string;
  query?: Record<string, string>;
  /** The client gives up after this long (rejects with `timeout`). */
  timeoutMs?: number;
};

/** One raw request to a server the test started, on its own connection (no keep-alive pool left behind). `base` ends in /api/v2. */
export function call(base: string, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}${qs}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    if (opts.timeoutMs !== undefined) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A token from the simulator's login. */
export async function login(base: string, username = 'admin', password = 'simulator'): Promise<string> {
  const res = await call(base, 'POST', '/auth/token', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.json.token as string;
}

/** A port on 127.0.0.1 that was just free and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
