/*
 * Redirects. A request is followed to another URL only within the API's own origin (scheme, host and port): got
 * leaves the Authorization header out when it follows a redirect to another host, but the client's hook puts the
 * Bearer token on every request it sends, and a 307/308 resends the body, so following one would hand the token (or
 * the login's password) to that host, or send it in clear text after a redirect from https to http. A redirect
 * elsewhere is answered to the caller as it came, and the request fails saying where it was sent.
 */

export type Redirected = { statusCode: number; url: string; headers: Record<string, string | string[] | undefined> };

/** got's `followRedirect`: true for a redirect to the same scheme, host and port as the request's. */
export function sameOriginRedirect(response: Redirected): boolean {
  const to = locationOf(response);
  return to !== undefined && to.origin === new URL(response.url).origin;
}

/** True for a 3xx answer: one that was not followed (to another origin, or without a Location). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** Why a 3xx answer was not followed, e.g. `HTTP 302 redirect to https://sso.example.test/login (another host): not followed, …`. */
export function redirectText(response: Redirected): string {
  const to = locationOf(response);
  if (!to) return `HTTP ${response.statusCode} without a Location to go to`;
  const from = new URL(response.url);
  const where = to.protocol !== from.protocol ? `${to.protocol.slice(0, -1)}:// instead of ${from.protocol.slice(0, -1)}://` : 'another host or port';
  return (
    `HTTP ${response.statusCode} redirect to ${to.origin}${to.pathname} (${where}): not followed, so the token and password are not sent there; ` +
    'set ODIN_BASE_URL to the address the API answers at'
  );
}

function locationOf(response: Redirected): URL | undefined {
  const location = response.headers.location;
  if (typeof location !== 'string' || location === '') return undefined;
  try {
    return new URL(Buffer.from(location, 'binary').toString(), response.url);
  } catch {
    return undefined;
  }
}
