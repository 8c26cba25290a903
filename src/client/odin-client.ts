import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import got, { type Got, type RetryObject } from 'got';
import type { Secrets } from '../logging/secrets.js';
import { readLiveFields } from '../operations/live-values.js';
import type { Fields, OperationDef } from '../operations/types.js';
import { createAuthSession, safeJson, type AuthSession, type SessionInfo } from './auth-session.js';
import { classifyFailure, DOCTOR_HINT, htmlAnswerFailure, type RequestContext } from './classify-failure.js';
import { describeBody, describeRequestError, isHtml } from './describe-error.js';
import { parseBulkSettings, type BulkItem } from './parse-bulk-settings.js';
import { parseUserList } from './parse-user-list.js';
import { parseGroupServices, type GroupServices } from './parse-group-services.js';
import { parseUserServices, type UserServices } from './parse-user-services.js';
import { createRateLimiter, realClock, type Clock, type RateLimiter } from './rate-limiter.js';
import { attemptWatch, type RequestObserver } from './request-observer.js';
import { isRedirect, redirectText, sameOriginRedirect, type Redirected } from './redirects.js';
import { RowFailure } from './row-failure.js';
import { notTheSettings } from './settings-answer.js';

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
  /** Aborts every request in flight (an interrupt's bounded wait ran out); they fail as INTERRUPTED. */
  signal?: AbortSignal;
};

/** Counters one row's requests add to, so its report line shows its own attempts. */
export type RequestTracker = { requests: number; retries: number };

export { RowFailure };

export type OdinClient = {
  start(): Promise<void>;
  /**
   * GETs a target's settings, read by `readLiveFields`: an unset nullable field is null, numbers in their wire
   * type; a non-nullable field the server did not return is absent. Failures throw RowFailure (ENDPOINT_MISSING,
   * NOT_ASSIGNED, NOT_FOUND, …).
   */
  read(op: OperationDef, key: Record<string, string>, track: RequestTracker): Promise<Fields>;
  /**
   * `read`, and the answer as the server sent it (parsed JSON, every key): for `odin-bulk doctor`, which compares
   * the keys with the operation's fields. Fails as `read` does.
   */
  readRaw(op: OperationDef, key: Record<string, string>, track: RequestTracker): Promise<RawRead>;
  /** `GET /users/services?userId=`: the user's assigned and not-assigned services. Failures throw RowFailure. */
  readUserServices(userId: string, track: RequestTracker): Promise<UserServices>;
  /**
   * `PUT /users/services {userId, userServices: [{serviceName, assigned}], servicePackServices: […]}` with the given
   * changes (a list left out when it has none); returns the services the answer lists, or undefined when it lists
   * none (the caller reads back). Failures throw RowFailure.
   */
  writeUserServices(userId: string, changes: ServiceChanges, track: RequestTracker): Promise<UserServices | undefined>;
  /** `GET /groups/services?serviceProviderId=&groupId=`: the group's licences per service and pack. Failures throw RowFailure. */
  readGroupServices(group: { serviceProviderId: string; groupId: string }, track: RequestTracker): Promise<GroupServices>;
  /** What the login answer said (login type, versions, token expiry); undefined before `start()`. */
  readonly session: SessionInfo | undefined;
  /** PUTs the fields; returns the state the server answered with (read as `read` does), if it sent it (WriteAnswer). */
  write(op: OperationDef, key: Record<string, string>, fields: Fields, track: RequestTracker): Promise<WriteAnswer>;
  /** `GET /users?serviceProviderId=&groupId=`: the group's userIds in the order listed. Failures throw RowFailure. */
  listGroupUsers(group: { serviceProviderId: string; groupId: string }): Promise<string[]>;
  /**
   * `GET <op.bulkRead>?serviceProviderId=&groupId=`: the operation's settings of every user of the group in one
   * request (parseBulkSettings). Failures throw RowFailure; an answer that is not a bulk answer is BAD_RESPONSE.
   */
  readGroup(op: OperationDef, group: { serviceProviderId: string; groupId: string }): Promise<BulkItem[]>;
  readonly stats: { requests: number; retries: number; readonly logins: number; readonly refreshes: number };
  close(): void;
};

/**
 * What a PUT's 2xx answer held: the target's settings (read as `read` does), or none (empty, `[]`, not JSON, not the
 * target's settings: the caller reads back); `said` is the server's own words when it answered an error object with
 * 2xx (`{"error", "details"}`), for the row's report should the read-back show the PUT was not applied.
 */
export type WriteAnswer = { settings?: Fields; said?: string };

/** What `writeUserServices` sends: per list, the names and the state each is to be put in. */
export type ServiceChanges = {
  services: ReadonlyArray<{ name: string; assigned: boolean }>;
  packs: ReadonlyArray<{ name: string; assigned: boolean }>;
};

/** A target's settings read by `readRaw`: the operation's fields, the whole answer, and its HTTP status. */
export type RawRead = { fields: Fields; body: Readonly<Record<string, unknown>>; status: number };

// 501 Not Implemented is not transient: the server lacks the endpoint (ENDPOINT_MISSING), a retry would only wait.
const RETRY_STATUS = [408, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i).filter((s) => s !== 501)];

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
  // Each request in flight listens on the one signal: no leak warning at high concurrency.
  if (options.signal) setMaxListeners(0, options.signal);
  const base = got.extend({
    prefixUrl: options.baseUrl,
    agent,
    ...(options.signal ? { signal: options.signal } : {}),
    // --ca-file adds to the usual trusted CAs; Node's `ca` option alone would replace them.
    https: { rejectUnauthorized: !options.insecure, ...(options.ca ? { certificateAuthority: [...rootCertificates, options.ca] } : {}) },
    timeout: { request: options.timeoutMs },
    responseType: 'text',
    followRedirect: sameOriginRedirect,
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

  /** One request; a 2xx answer comes back with its status, parsed body (undefined when empty or not JSON) and text. */
  const call = async (run: Promise<Redirected & { body: string }>, what: string, ctx: () => RequestContext): Promise<Answer> => {
    try {
      const res = await run;
      if (isRedirect(res.statusCode)) {
        const message = `no such endpoint here: ${redirectText(res)}; ${DOCTOR_HINT}`;
        throw new RowFailure('ENDPOINT_MISSING', `${what}: ${secrets.redact(message)}`, res.statusCode);
      }
      const text = res.body;
      return { status: res.statusCode, text, value: /^\s*$/.test(text) ? undefined : safeJson(text) };
    } catch (error) {
      watch.ended((error as { options?: { context?: Record<string, unknown> } }).options?.context, 0);
      if (error instanceof RowFailure) throw error;
      const failure = classifyFailure(describeRequestError(error), ctx());
      throw new RowFailure(failure.code, `${what}: ${secrets.redact(failure.message)}`, failure.status);
    }
  };
  /** What a failed request was about, worked out only when one fails. */
  const contextOf = (op: OperationDef, key: Record<string, string>) => (): RequestContext => ({
    targets: Object.values(key),
    ...(op.service ? { service: op.service } : {}),
  });

  const readRaw = async (op: OperationDef, key: Record<string, string>, track: RequestTracker): Promise<RawRead> => {
    const what = `GET ${op.path}`;
    const answer = await call(api.get(op.path.slice(1), { searchParams: key, context: { track } }), what, contextOf(op, key));
    // An object is the settings, even one without a field the manifest names (see readLiveFields), unless it is
    // not this target's settings at all (another user's, {}, an error object sent with 200): see notTheSettings.
    const body = parsedOrFail(answer, what, (v) => (isObject(v) ? v : undefined), 'the current settings');
    const problem = notTheSettings(op, key, body);
    if (problem) throw new RowFailure('BAD_RESPONSE', `${what}: HTTP ${answer.status} with ${secrets.redact(problem)} instead of the current settings; nothing was written`, answer.status);
    return { fields: readLiveFields(op, body), body, status: answer.status };
  };

  /** A 2xx answer of another shape than `expected`: BAD_RESPONSE, saying what came instead. */
  const badShape = (answer: Answer, what: string, expected: string): RowFailure =>
    new RowFailure('BAD_RESPONSE', `${what}: HTTP ${answer.status} with ${secrets.redact(describeAnswer(answer))} instead of ${expected}`, answer.status);

  /** A 2xx answer read by `parse`; an HTML page or an answer of another shape is a RowFailure naming what was expected. */
  const parsedOrFail = <T>(answer: Answer, what: string, parse: (value: unknown) => T | undefined, expected: string): T => {
    if (answer.value === undefined && isHtml(answer.text)) {
      const failure = htmlAnswerFailure(answer.status, describeBody(answer.text));
      throw new RowFailure(failure.code, `${what}: ${secrets.redact(failure.message)}`, answer.status);
    }
    const parsed = parse(answer.value);
    if (parsed === undefined) throw badShape(answer, what, expected);
    return parsed;
  };

  return {
    stats,
    start: () => auth.start(),
    get session() {
      return auth.session;
    },
    async read(op, key, track) {
      return (await readRaw(op, key, track)).fields;
    },
    readRaw,
    async readUserServices(userId, track) {
      const what = 'GET /users/services';
      const answer = await call(api.get('users/services', { searchParams: { userId }, context: { track } }), what, () => ({ targets: [userId] }));
      return parsedOrFail(answer, what, parseUserServices, "the user's services");
    },
    async writeUserServices(userId, changes, track) {
      const entries = (list: ServiceChanges['services']) => list.map((c) => ({ serviceName: c.name, assigned: c.assigned }));
      const json = {
        userId,
        ...(changes.services.length ? { userServices: entries(changes.services) } : {}),
        ...(changes.packs.length ? { servicePackServices: entries(changes.packs) } : {}),
      };
      const answer = await call(api.put('users/services', { json, context: { track } }), 'PUT /users/services', () => ({ targets: [userId] }));
      return parseUserServices(answer.value);
    },
    async readGroupServices(group, track) {
      const what = 'GET /groups/services';
      const searchParams = { serviceProviderId: group.serviceProviderId, groupId: group.groupId };
      const answer = await call(api.get('groups/services', { searchParams, context: { track } }), what, () => ({ targets: [group.serviceProviderId, group.groupId] }));
      return parsedOrFail(answer, what, parseGroupServices, "the group's services and licences");
    },
    async write(op, key, fields, track) {
      const answer = await call(api.put(op.path.slice(1), { json: { ...key, ...fields }, context: { track } }), `PUT ${op.path}`, contextOf(op, key));
      // A 2xx with no usable body (empty, [], not JSON, no policy fields, another user's settings) still means
      // "done": the caller reads back.
      const settings = settingsIn(op, key, answer.value);
      if (settings) return { settings };
      const errorObject = isObject(answer.value) && (answer.value.error !== undefined || answer.value.details !== undefined);
      return errorObject ? { said: secrets.redact(describeBody(answer.text)) } : {};
    },
    async listGroupUsers(group) {
      const searchParams = { serviceProviderId: group.serviceProviderId, groupId: group.groupId };
      const answer = await call(api.get('users', { searchParams }), 'GET /users', () => ({ targets: [group.serviceProviderId, group.groupId] }));
      const ids = parseUserList(answer.value);
      if (!ids) throw badShape(answer, 'GET /users', 'a list of users with userId');
      return ids;
    },
    async readGroup(op, group) {
      if (!op.bulkRead) throw new Error(`internal: ${op.name} has no group-wide read`);
      const what = `GET ${op.bulkRead}`;
      const searchParams = { serviceProviderId: group.serviceProviderId, groupId: group.groupId };
      const answer = await call(api.get(op.bulkRead.slice(1), { searchParams }), what, () => ({ targets: [group.serviceProviderId, group.groupId] }));
      const items = parseBulkSettings(op, answer.value);
      if (!items) throw badShape(answer, what, "the group's users and their settings");
      return items;
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
  limiter: RateLimiter,
  stats: { requests: number; retries: number },
  watch: ReturnType<typeof attemptWatch>,
): Got {
  const trackerOf = (ctx: Record<string, unknown>) => ctx.track as { requests: number; retries: number } | undefined;
  const send = (options: { headers: Record<string, unknown>; context: Record<string, unknown> }, token: string) => {
    options.headers.authorization = `Bearer ${token}`;
    options.context.sentToken = token;
    stats.requests++;
    const track = trackerOf(options.context);
    if (track) track.requests++;
    watch.sent(options.context);
  };
  const waitThenSend = async (options: { headers: Record<string, unknown>; context: Record<string, unknown> }) => {
    await watch.admit(options.context); // adaptive concurrency: a slot before the rate slot, so no burst follows a wait
    await limiter.acquire();
    send(options, await auth.token());
  };
  return base.extend({
    hooks: {
      beforeRequest: [
        (options) => {
          // Nothing to wait for (no rate cap, no adaptive concurrency, a good token): sent at once, no promise made.
          const token = watch.active || limiter.capped ? undefined : auth.ready();
          return token === undefined ? waitThenSend(options) : send(options, token);
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
    if (retryAfter !== undefined) return Math.max(1, retryAfter); // "Retry-After: 0" means now; 0 would tell got not to retry
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attemptCount - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": spreads retries, keeps a floor
  };
}

type Answer = { status: number; text: string; value: unknown };

/** The operation's fields in a 2xx body, or undefined when it is not the target's settings (notTheSettings). */
function settingsIn(op: OperationDef, key: Record<string, string>, value: unknown): Fields | undefined {
  return isObject(value) && notTheSettings(op, key, value) === undefined ? readLiveFields(op, value) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "an empty body", "[]", "a body that is not JSON (an HTML page: Login)"… */
function describeAnswer({ text, value }: Answer): string {
  if (text.trim() === '') return 'an empty body';
  if (value === undefined) return `a body that is not JSON (${describeBody(text)})`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? 'a list' : '[]';
  return `a bare ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
