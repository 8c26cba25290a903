import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got, type RetryObject } from 'got';
import type { Secrets } from '../logging/secrets.js';
import type { Fields, OperationDef } from '../operations/types.js';
import { createAuthSession, safeJson, type AuthSession } from './auth-session.js';
import { describeBody, describeRequestError, type RowErrorCode } from './describe-error.js';
import { createRateLimiter, realClock, type Clock } from './rate-limiter.js';
import { attemptWatch, type RequestObserver } from './request-observer.js';

export type ClientOptions = {
  /** Odin API root, e.g. `https://odin.example.com/api/v2`. */
  baseUrl: string;
  username: string;
  password: string;
  /** Requests per second shared by all workers; 0 = uncapped. @default 5 */
  rate: number;
  /** Retries per request on network errors, timeouts, 429 and 5xx. @default 4 */
  retries: number;
  /** Per-request timeout. @default 30000 */
  timeoutMs: number;
  /** First backoff step; doubles per retry, with jitter. @default 500 */
  retryBaseMs?: number;
  /** Longest backoff, and the longest Retry-After honoured. @default 60000 */
  maxRetryDelayMs?: number;
  /** Extra trusted CA certificates (PEM). */
  ca?: string;
  /** Skip TLS certificate verification. */
  insecure?: boolean;
};

/** Counters one row's requests add to, so its report line shows its own attempts. */
export type RequestTracker = { requests: number; retries: number };

/** A request for one row that failed for good (after got's retries). */
export class RowFailure extends Error {
  constructor(readonly code: RowErrorCode, message: string, readonly status?: number) {
    super(message);
  }
}

export type OdinClient = {
  start(): Promise<void>;
  read(op: OperationDef, key: Record<string, string>, track: RequestTracker): Promise<Fields>;
  /** PUTs the fields; returns the state the server answered with, or undefined when it sent none. */
  write(op: OperationDef, key: Record<string, string>, fields: Fields, track: RequestTracker): Promise<Fields | undefined>;
  readonly stats: { requests: number; retries: number; readonly logins: number; readonly refreshes: number };
  close(): void;
};

const RETRY_STATUS = [408, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];

export type ClientDeps = {
  secrets: Secrets;
  clock?: Clock;
  /** Hears each API request attempt (adaptive concurrency). */
  observer?: RequestObserver;
};

export function createOdinClient(options: ClientOptions, deps: ClientDeps): OdinClient {
  const { secrets } = deps;
  secrets.add(options.password);
  const agent = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const base = got.extend({
    prefixUrl: options.baseUrl,
    agent,
    https: { rejectUnauthorized: !options.insecure, ...(options.ca ? { certificateAuthority: options.ca } : {}) },
    timeout: { request: options.timeoutMs },
    responseType: 'text',
    headers: { 'user-agent': 'odin-bulk', accept: 'application/json' },
    retry: {
      limit: options.retries,
      methods: ['GET', 'PUT', 'POST'],
      statusCodes: RETRY_STATUS,
      maxRetryAfter: options.maxRetryDelayMs ?? 60_000,
      calculateDelay: backoff(options.retryBaseMs ?? 500, options.maxRetryDelayMs ?? 60_000),
    },
  });
  const auth = createAuthSession({
    http: base,
    baseUrl: options.baseUrl,
    username: options.username,
    password: options.password,
    secrets,
  });
  const limiter = createRateLimiter(options.rate, deps.clock);
  const stats = { requests: 0, retries: 0, get logins() { return auth.stats.logins; }, get refreshes() { return auth.stats.refreshes; } };
  const watch = attemptWatch(deps.observer, () => (deps.clock ?? realClock).now());
  const api = apiClient(base, auth, limiter, stats, watch);

  const call = async (run: () => Promise<{ body: string }>, what: string): Promise<unknown> => {
    try {
      const res = await run();
      return res.body.trim() === '' ? undefined : parseOr(res.body, what);
    } catch (error) {
      watch.ended((error as { options?: { context?: Record<string, unknown> } }).options?.context, 0);
      if (error instanceof RowFailure) throw error;
      const failure = describeRequestError(error);
      throw new RowFailure(failure.code, `${what}: ${secrets.redact(failure.message)}`, failure.status);
    }
  };

  return {
    stats,
    start: () => auth.start(),
    async read(op, key, track) {
      const body = await call(() => api.get(op.path.slice(1), { searchParams: key, context: { track } }), `GET ${op.path}`);
      if (!isObject(body)) {
        throw new RowFailure('BAD_RESPONSE', `GET ${op.path}: answered 2xx with ${describeShape(body)} instead of the current settings`);
      }
      return pickFields(op, body);
    },
    async write(op, key, fields, track) {
      const body = await call(() => api.put(op.path.slice(1), { json: { ...key, ...fields }, context: { track } }), `PUT ${op.path}`);
      return isObject(body) ? pickFields(op, body) : undefined;
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

/** The API client: rate slot, then the freshest token, on every attempt; one re-login on a 401. */
function apiClient(
  base: Got,
  auth: AuthSession,
  limiter: { acquire(): Promise<void> },
  stats: { requests: number; retries: number },
  watch: ReturnType<typeof attemptWatch>,
): Got {
  const trackerOf = (ctx: Record<string, unknown>) => ctx.track as { requests: number; retries: number } | undefined;
  return base.extend({
    hooks: {
      beforeRequest: [
        async (options) => {
          await watch.admit(options.context); // adaptive concurrency: a slot before the rate slot, so no burst follows a wait
          await limiter.acquire();
          const token = await auth.token();
          options.headers.authorization = `Bearer ${token}`;
          options.context.sentToken = token;
          stats.requests++;
          const track = trackerOf(options.context);
          if (track) track.requests++;
          watch.sent(options.context);
        },
      ],
      beforeRetry: [
        (error) => {
          watch.ended(error.options.context, 0); // no answer (timeout, reset); a no-op when one was heard
          if (error.name === 'RetryError') return; // a re-login after 401, counted as a login
          stats.retries++;
          const track = trackerOf(error.options.context);
          if (track) track.retries++;
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          const context = response.request.options.context;
          watch.ended(context, response.statusCode);
          if (response.statusCode !== 401 || context.reloggedIn) return response;
          await auth.relogin(String(context.sentToken));
          return retryWithMergedOptions({ context: { reloggedIn: true } });
        },
      ],
    },
  });
}

function backoff(baseMs: number, maxMs: number) {
  return ({ attemptCount, retryAfter, computedValue, error }: RetryObject): number => {
    if (error.name === 'RetryError') return 1;
    if (computedValue === 0) return 0; // not retryable: other 4xx, limit reached, Retry-After too long
    if (retryAfter !== undefined) return retryAfter;
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attemptCount - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": spreads retries, keeps a floor
  };
}

function parseOr(text: string, what: string): unknown {
  const value = safeJson(text);
  if (value === undefined) throw new RowFailure('BAD_RESPONSE', `${what}: answered 2xx with a body that is not JSON (${describeBody(text)})`);
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeShape(v: unknown): string {
  if (v === undefined) return 'an empty body';
  if (Array.isArray(v)) return v.length ? 'a list' : '[]';
  return JSON.stringify(v).slice(0, 40);
}

/** Only the operation's fields, so keys and unknown extras never reach the diff or the reports. */
function pickFields(op: OperationDef, body: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const name of Object.keys(op.fields)) {
    const v = body[name];
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name] = v;
  }
  return out;
}
