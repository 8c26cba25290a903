import { getFields, listUsers, putFields, type ApiBehaviour } from './api-routes.js';
import { getBulk } from './bulk-routes.js';
import { getAssignedServices, getGroupServices, getUserServices, putUserServices } from './service-routes.js';
import type { SimEndpoint } from './broadworks-rules.js';
import { login, refresh, sessionDetails, type Credentials } from './auth-routes.js';
import { errorReply, type Reply } from './http-io.js';
import { targetKey, type SimState } from './state.js';
import { bearerToken, type TokenService } from './tokens.js';

export type Route =
  | { kind: 'login' }
  | { kind: 'refresh' }
  | { kind: 'session' }
  | { kind: 'op-get'; endpoint: SimEndpoint }
  | { kind: 'op-put'; endpoint: SimEndpoint }
  | { kind: 'list-users' }
  | { kind: 'user-services' }
  | { kind: 'user-services-put' }
  | { kind: 'assigned-services' }
  | { kind: 'group-services' }
  | { kind: 'bulk-get'; endpoint: SimEndpoint }
  | { kind: 'not-found' };

export type RouteInput = {
  query: Record<string, string>;
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  /** False when the body is not valid JSON. */
  bodyOk: boolean;
  authorization: string | undefined;
};

export type RouteDeps = { state: SimState; tokens: TokenService; credentials: Credentials; behaviour: ApiBehaviour };

const NOT_FOUND: Route = { kind: 'not-found' };
const LOGIN: Route = { kind: 'login' };
const REFRESH: Route = { kind: 'refresh' };
const SESSION: Route = { kind: 'session' };
const LIST_USERS: Route = { kind: 'list-users' };
/** The routes of fixed paths besides /auth: `METHOD path` → route. */
const FIXED: Record<string, Route> = {
  'GET /users/services': { kind: 'user-services' },
  'PUT /users/services': { kind: 'user-services-put' },
  'GET /users/services/assigned': { kind: 'assigned-services' },
  'GET /groups/services': { kind: 'group-services' },
};

/** Routes generically over the endpoints by `path`; path is without `/api/v2`. */
export function resolveRoute(method: string, path: string, query: Record<string, string>, state: SimState): Route {
  if (path === '/auth/token') return method === 'POST' ? LOGIN : method === 'PUT' ? REFRESH : NOT_FOUND;
  if (path === '/auth/session') return method === 'GET' ? SESSION : NOT_FOUND;
  const fixed = FIXED[`${method} ${path}`];
  if (fixed) return fixed;
  if (method === 'GET' && path.endsWith('/bulk')) {
    const endpoint = state.endpointByPath(path.slice(0, -'/bulk'.length));
    return endpoint?.bulk ? { kind: 'bulk-get', endpoint } : NOT_FOUND;
  }
  const isListing = method === 'GET' && path === '/users';
  // A future `/users` operation (user profile, keyed by userId) shares the path with the group listing.
  if (isListing && query.groupId !== undefined && query.userId === undefined) return LIST_USERS;
  const endpoint = state.endpointByPath(path);
  if (endpoint && method === 'GET') return { kind: 'op-get', endpoint };
  if (endpoint && method === 'PUT') return { kind: 'op-put', endpoint };
  return isListing ? LIST_USERS : NOT_FOUND;
}

/** The target a request is about (userId, or `sp/group`), for counts, records and script filters. */
export function routeKey(route: Route, query: Record<string, string>, body: unknown): string | undefined {
  switch (route.kind) {
    case 'op-get':
      return keyOrUndefined(targetKey(route.endpoint, query));
    case 'op-put':
      return typeof body === 'object' && body !== null ? keyOrUndefined(targetKey(route.endpoint, body as Record<string, unknown>)) : undefined;
    case 'list-users':
    case 'group-services':
    case 'bulk-get':
      return query.serviceProviderId && query.groupId ? `${query.serviceProviderId}/${query.groupId}` : undefined;
    case 'user-services':
    case 'assigned-services':
      return query.userId || undefined;
    case 'user-services-put': {
      const userId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).userId : undefined;
      return typeof userId === 'string' && userId !== '' ? userId : undefined;
    }
    default:
      return undefined;
  }
}

const keyOrUndefined = (k: { key: string } | { missing: string[] }) => ('key' in k ? k.key : undefined);

/** Faults hit the operation routes and the user listing; /auth only when asked to. */
export function isFaultable(route: Route, faultAuth: boolean): boolean {
  if (route.kind === 'not-found') return false;
  if (route.kind === 'login' || route.kind === 'refresh' || route.kind === 'session') return faultAuth;
  return true;
}

export function answer(route: Route, input: RouteInput, deps: RouteDeps): Reply {
  if (route.kind === 'not-found') return errorReply(404, 'No such resource');
  if (route.kind === 'login') return login(input.body, input.bodyOk, deps.credentials, deps.tokens, deps.behaviour.shape.release);

  const token = bearerToken(input.authorization);
  if (!token) return errorReply(401, 'Missing bearer token');
  const check = deps.tokens.verify(token);
  if (!check.ok) return errorReply(401, check.reason === 'expired' ? 'Token expired' : 'Invalid token');

  switch (route.kind) {
    case 'refresh':
      return refresh(check.claims, deps.tokens, deps.behaviour.shape.release);
    case 'session':
      return sessionDetails(token, check.claims, deps.behaviour.shape.release);
    case 'op-get':
      return getFields(route.endpoint, input.query, deps.state, deps.behaviour);
    case 'op-put':
      return putFields(route.endpoint, input.body, input.bodyOk, deps.state, deps.behaviour);
    case 'list-users':
      return listUsers(input.query, deps.state);
    case 'user-services':
      return getUserServices(input.query, deps.state, deps.behaviour);
    case 'user-services-put':
      return putUserServices(input.body, input.bodyOk, deps.state, deps.behaviour);
    case 'assigned-services':
      return getAssignedServices(input.query, deps.state, deps.behaviour);
    case 'group-services':
      return getGroupServices(input.query, deps.state, deps.behaviour);
    case 'bulk-get':
      return getBulk(route.endpoint, input.query, deps.state, deps.behaviour);
  }
}
