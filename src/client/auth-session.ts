import type { Got } from 'got';
import { JobError } from '../model/errors.js';
import type { Secrets } from '../logging/secrets.js';
import { describeRequestError } from './describe-error.js';
import { jwtExpiryMs } from './jwt-expiry.js';
import { isRedirect, redirectText } from './redirects.js';

/**
 * What the login answer says about the session (Odin answers a whole session object: web `src/store/session.js`),
 * for `odin-bulk doctor`. Every part is optional: a server may answer only the token.
 */
export type SessionInfo = {
  loginType?: string;
  userId?: string;
  serviceProviderId?: string;
  groupId?: string;
  /** `version` of the login answer (what it holds is not documented). */
  version?: string;
  /** `softwareVersion` of the login answer (what it holds is not documented). */
  softwareVersion?: string;
  /** The token's `exp`, epoch milliseconds; undefined when the token is not a readable JWT. */
  expiresAt?: number;
};

export type AuthSession = {
  /** Logs in; a refusal or an unreachable server becomes a JobError (exit 3). */
  start(): Promise<void>;
  /** A token good for the next request, refreshed shortly before it expires. */
  token(): Promise<string>;
  /** The token, when it is good as it is (no login or refresh due): what nearly every request uses, without waiting. */
  ready(): string | undefined;
  /** After a 401: log in again once, shared by every request that saw the same stale token. */
  relogin(stale: string): Promise<string>;
  readonly stats: { logins: number; refreshes: number };
  /** The latest login or refresh answer's session details; undefined before the first login. */
  readonly session: SessionInfo | undefined;
};

type Options = { http: Got; baseUrl: string; username: string; password: string; secrets: Secrets; now?: () => number };

export function createAuthSession({ http, baseUrl, username, password, secrets, now = Date.now }: Options): AuthSession {
  let current: { token: string; issuedAt: number; expiresAt?: number } | undefined;
  let session: SessionInfo | undefined;
  let pending: Promise<string> | undefined;
  const stats = { logins: 0, refreshes: 0 };

  const accept = (body: string): string => {
    const answer = safeJson(body) as Record<string, unknown> | undefined;
    const token = answer?.token;
    if (typeof token !== 'string' || token === '') {
      throw new JobError('EAUTH', `POST ${baseUrl}/auth/token answered without a token: is ODIN_BASE_URL the Odin API (ending in /api/v2)?`);
    }
    secrets.add(token);
    current = { token, issuedAt: now(), expiresAt: jwtExpiryMs(token) };
    session = sessionInfo(answer!, current.expiresAt);
    return token;
  };

  const login = async (): Promise<string> => {
    stats.logins++;
    try {
      const res = await http.post('auth/token', { json: { username, password } });
      if (isRedirect(res.statusCode)) throw new JobError('EUNREACHABLE', `cannot log in at ${baseUrl}/auth/token: ${redirectText(res)}`);
      return accept(res.body);
    } catch (error) {
      throw loginError(error, baseUrl, username);
    }
  };

  const refresh = async (stale: string): Promise<string> => {
    stats.refreshes++;
    try {
      const res = await http.put('auth/token', { headers: { authorization: `Bearer ${stale}` } });
      return accept(res.body);
    } catch {
      // A refused refresh (expired meanwhile) is not fatal: a fresh login is.
      return login();
    }
  };

  const once = (work: () => Promise<string>): Promise<string> => {
    pending ??= work().finally(() => (pending = undefined));
    return pending;
  };

  const ready = (): string | undefined => {
    if (pending || !current) return undefined;
    const { token, issuedAt, expiresAt } = current;
    // Refresh when a fifth of the lifetime is left (at most 5 minutes before expiry): Odin refuses to refresh an expired token.
    if (expiresAt !== undefined && now() >= expiresAt - Math.min(5 * 60_000, (expiresAt - issuedAt) / 5)) return undefined;
    return token;
  };

  return {
    stats,
    get session() {
      return session;
    },
    async start() {
      await once(login);
    },
    ready,
    async token() {
      const token = ready();
      if (token !== undefined) return token;
      if (pending) return pending;
      if (!current) return once(login);
      const stale = current.token;
      return once(() => refresh(stale));
    },
    async relogin(stale) {
      if (pending) return pending;
      if (current && current.token !== stale) return current.token;
      return once(login);
    },
  };
}

function loginError(error: unknown, baseUrl: string, username: string): JobError {
  if (error instanceof JobError) return error;
  const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
  const failure = describeRequestError(error);
  const why = failure.message;
  if (failure.code === 'TLS') {
    return new JobError('ETLS', `cannot log in at ${baseUrl}/auth/token: ${why}`, [
      'Certificate verification is always on. If the server uses a private CA, pass that CA\'s certificate: --ca-file ca.pem',
    ]);
  }
  if (status === 401 || status === 403) {
    return new JobError('EAUTH', `authentication refused for user "${username}" (${why})`, [
      'Check ODIN_USERNAME and ODIN_PASSWORD.',
    ]);
  }
  if (status === 402) {
    return new JobError('EAUTH', `Odin requires a password change for user "${username}" before it can be used`);
  }
  return new JobError('EUNREACHABLE', `cannot log in at ${baseUrl}/auth/token: ${why}`, [
    'Check ODIN_BASE_URL: it is the Odin API root, e.g. https://odin.example.com/api/v2 (no trailing slash).',
  ]);
}

/** The session's text details (never the token); values that are not non-empty text are left out. */
function sessionInfo(answer: Record<string, unknown>, expiresAt: number | undefined): SessionInfo {
  const info: SessionInfo = {};
  for (const key of ['loginType', 'userId', 'serviceProviderId', 'groupId', 'version', 'softwareVersion'] as const) {
    const value = answer[key];
    if (typeof value === 'string' && value !== '') info[key] = value;
    else if (typeof value === 'number') info[key] = String(value);
  }
  if (expiresAt !== undefined) info.expiresAt = expiresAt;
  return info;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
