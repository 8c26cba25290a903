import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { errorReply, parseQuery, readBody, sendJson, sendRaw, type Delays, type Reply } from './http-io.js';
import type { RequestLog } from './request-log.js';
import type { Reverter } from './revert.js';
import { answer, isFaultable, resolveRoute, routeKey, type Route, type RouteDeps } from './routes.js';
import type { ScriptQueue } from './script.js';
import type { ScriptStep } from './types.js';

const API_PREFIX = '/api/v2';

export type PipelineDeps = RouteDeps & {
  faults: Faults;
  scripts: ScriptQueue;
  log: RequestLog;
  now: () => number;
  /** Closed when the server closes: pending delays stop and nothing more is sent. */
  delays: Delays;
  /** Undoes a share of accepted PUTs later (`revertShare`). */
  reverter: Reverter;
};

/** One request on its way through the pipeline. */
type Exchange = {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: Record<string, string>;
  key: string | undefined;
  body: unknown;
  bodyOk: boolean;
  route: Route;
};

/** The server's request listener: count → read → route → script or faults → auth → handler → record → send. */
export function createRequestHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const position = deps.log.arrive();
    res.once('close', () => deps.log.leave());
    readBody(req).then(
      (raw) => handle(deps, req, res, raw, position),
      () => res.destroy(),
    ).catch(() => res.destroy());
  };
}

async function handle(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse, raw: string | undefined, position: number) {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
  const isApi = pathname.startsWith(`${API_PREFIX}/`);
  const path = isApi ? pathname.slice(API_PREFIX.length) : pathname;
  const [body, bodyOk] = parseBody(raw);
  const route = isApi ? resolveRoute(method, path, query, deps.state) : ({ kind: 'not-found' } as const);
  const key = routeKey(route, query, body);
  deps.log.count(method, path, key);
  const ex: Exchange = { req, res, method, path, query, key, body, bodyOk, route };

  if (raw === undefined) return reply(deps, ex, errorReply(413, 'Request body too large'));
  const step = deps.scripts.take(method, path, key);
  if (step !== undefined) return runStep(deps, ex, step);

  const faults = deps.faults.settings;
  if (isFaultable(route, faults.faultAuth)) {
    const decision = deps.faults.decide(position);
    if (decision.kind === 'hang') return noAnswer(deps, ex);
    if (!(await deps.delays.wait(decision.delayMs))) return;
    if (decision.kind === 'throttle') {
      const retryAfter = String(deps.faults.settings.retryAfterSeconds);
      return reply(deps, ex, errorReply(429, decision.details, { 'retry-after': retryAfter }));
    }
    if (decision.kind === 'error') {
      const details = decision.status === 503 ? 'Service temporarily unavailable (simulated)' : 'Internal error (simulated)';
      return reply(deps, ex, errorReply(decision.status, details));
    }
  }
  reply(deps, ex, answerOf(deps, ex));
}

/** A scripted step replaces fault injection for its request. */
async function runStep(deps: PipelineDeps, ex: Exchange, step: ScriptStep): Promise<void> {
  const s = typeof step === 'number' ? { status: step } : step;
  if (s.until) await s.until;
  if (s.delayMs && !(await deps.delays.wait(s.delayMs))) return;
  if (s.apply) answerOf(deps, ex); // the server did the work; only its answer is odd (or missing)
  if (s.reset) {
    noAnswer(deps, ex);
    ex.req.socket.destroy();
    return;
  }
  if (s.hang) return noAnswer(deps, ex);
  const headers = { ...s.headers };
  if (s.body !== undefined) {
    const status = s.status ?? 200;
    const type = s.body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
    record(deps, ex, status);
    sendRaw(ex.res, status, s.body, { 'content-type': type, ...lowerCaseKeys(headers) });
    return;
  }
  if (s.status !== undefined && (s.status < 200 || s.status > 299)) {
    if (s.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) {
      headers['retry-after'] = String(deps.faults.settings.retryAfterSeconds);
    }
    return reply(deps, ex, errorReply(s.status, `Scripted ${s.status} response`, headers));
  }
  const normal = answerOf(deps, ex);
  reply(deps, ex, { ...normal, headers: { ...normal.headers, ...headers } });
}

function answerOf(deps: PipelineDeps, ex: Exchange): Reply {
  const input = { query: ex.query, body: ex.body, bodyOk: ex.bodyOk, authorization: ex.req.headers.authorization };
  const { route } = ex;
  if (route.kind !== 'op-put' || ex.key === undefined || deps.faults.settings.revertShare <= 0) return answer(route, input, deps);
  const before = { ...deps.state.fields(route.endpoint, ex.key) };
  const r = answer(route, input, deps);
  const live = deps.state.fields(route.endpoint, ex.key);
  if (r.status >= 200 && r.status <= 299 && live) {
    const written = Object.fromEntries(Object.keys(live).filter((f) => live[f] !== before[f]).map((f) => [f, live[f]!]));
    if (Object.keys(written).length) deps.reverter.afterPut(live, before, written);
  }
  return r;
}

function reply(deps: PipelineDeps, ex: Exchange, r: Reply): void {
  record(deps, ex, r.status);
  sendJson(ex.res, r.status, r.body, r.headers && lowerCaseKeys(r.headers));
}

/** Hang or reset: recorded with status 0; the socket stays open until the client or close() ends it. */
function noAnswer(deps: PipelineDeps, ex: Exchange): void {
  record(deps, ex, 0);
}

function record(deps: PipelineDeps, ex: Exchange, status: number): void {
  if (!deps.log.record) return;
  deps.log.add({ method: ex.method, path: ex.path, query: ex.query, key: ex.key, body: ex.body, status, at: deps.now() });
}

/** [parsed, ok]: undefined + ok for an empty body; the raw text + not ok when it is not JSON. */
function parseBody(raw: string | undefined): [unknown, boolean] {
  if (raw === undefined || raw === '') return [undefined, true];
  try {
    return [JSON.parse(raw), true];
  } catch {
    return [raw, false];
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
