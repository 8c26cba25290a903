import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** What a route handler answers; the pipeline records and sends it. */
export type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export function errorBody(status: number, details: string): { status: number; error: string; details: string } {
  return { status, error: STATUS_CODES[status] ?? 'Error', details };
}

export function errorReply(status: number, details: string, headers?: Record<string, string>): Reply {
  return { status, body: errorBody(status, details), ...(headers ? { headers } : {}) };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendRaw(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

export function sendRaw(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** The request body as text; undefined when it is larger than MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Delays that close() can cut short: each resolves true after its time, or false once the server closes. */
export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, (done: boolean) => void>();
  private closed = false;

  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  /** Resolves every pending delay with false; later ones resolve false at once. */
  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.pending.clear();
  }
}

/** Query string to a plain object; the first value of a repeated name wins. Values are URL-decoded. */
export function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (search === '') return query;
  for (const [name, value] of new URLSearchParams(search)) if (!Object.hasOwn(query, name)) query[name] = value;
  return query;
}
