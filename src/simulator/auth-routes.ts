import { errorReply, type Reply } from './http-io.js';
import type { TokenClaims, TokenService } from './tokens.js';

export type Credentials = { username: string; password: string };

/**
 * The session object Odin answers on login and refresh (web `src/store/session.js`). What Odin puts in `version`
 * and `softwareVersion` is not documented; the simulator says `sim` and the release it plays (`R25`).
 */
function session(token: string, userId: string, release: number) {
  return {
    token,
    loginType: 'System',
    userId,
    serviceProviderId: null,
    groupId: null,
    version: 'sim',
    softwareVersion: `R${release}`,
  };
}

/** POST /auth/token {username, password} */
export function login(body: unknown, bodyOk: boolean, credentials: Credentials, tokens: TokenService, release: number): Reply {
  if (!bodyOk || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return errorReply(400, 'Request body must be a JSON object with username and password');
  }
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || username === '') return errorReply(400, 'Missing required field: username');
  if (username !== credentials.username || password !== credentials.password) {
    return errorReply(401, 'Invalid username or password');
  }
  return { status: 200, body: session(tokens.issue(username).token, username, release) };
}

/** PUT /auth/token: a new token for a valid, unexpired one. */
export function refresh(claims: TokenClaims, tokens: TokenService, release: number): Reply {
  return { status: 200, body: session(tokens.issue(claims.sub).token, claims.sub, release) };
}

/** GET /auth/session */
export function sessionDetails(token: string, claims: TokenClaims, release: number): Reply {
  return { status: 200, body: { ...session(token, claims.sub, release), exp: claims.exp } };
}
