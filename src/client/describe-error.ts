import type { RowErrorCode } from '../model/row-result.js';

/** How a failed request is described on a row and in the log: never with headers, tokens or credentials. */

export type RequestFailure = {
  code: RowErrorCode;
  status?: number;
  message: string;
  /** What the server said: Odin's `details` (or `error`), or the start of an HTML page. */
  said?: string;
  /** The answer was an HTML page, not the JSON the API answers with. */
  html?: boolean;
};

type GotLike = {
  name?: string;
  code?: string;
  message?: string;
  response?: { statusCode?: number; statusMessage?: string; body?: unknown; headers?: Record<string, string | string[] | undefined> };
};

/** Maps got's errors to a code and a message an operator can act on. */
export function describeRequestError(error: unknown): RequestFailure {
  const e = error as GotLike;
  const status = e.response?.statusCode;
  // A 2xx or 3xx whose body never came whole (a stall past the timeout, a reset), or a redirect loop: the failure is
  // the transfer's, not the status's (it is not an HTTP 200 "error", and a timeout is retried and counted as one).
  const afterHeaders = status !== undefined && status < 400 && e.name !== 'HTTPError';
  if (status !== undefined && !afterHeaders) {
    const code: RowErrorCode =
      status === 404 ? 'NOT_FOUND' : status === 401 || status === 403 ? 'AUTH' : status >= 500 ? 'HTTP_5XX' : 'HTTP_4XX';
    const reason = e.response?.statusMessage ? ` ${e.response.statusMessage}` : '';
    const said = describeBody(e.response?.body);
    const advice = status === 429 ? tooManyRequests(e.response?.headers?.['retry-after']) : '';
    return { code, status, message: `HTTP ${status}${reason}: ${said}${advice}`, said, html: isHtml(e.response?.body) };
  }
  if (e.name === 'AbortError') {
    return { code: 'INTERRUPTED', message: 'aborted: the run was interrupted while this request was in flight (it may or may not have reached the server)' };
  }
  if (e.name === 'MaxRedirectsError') {
    return { code: 'BAD_RESPONSE', status, message: `redirected again and again (a redirect loop; the last answer was HTTP ${status})` };
  }
  const partly = afterHeaders ? `; the server sent the headers of HTTP ${status} and not the whole body` : '';
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return { code: 'TIMEOUT', message: `no answer in time (${e.message ?? 'timeout'})${partly}` };
  }
  if (e.code && TLS_ERRORS[e.code]) return { code: 'TLS', message: `TLS certificate not accepted: ${TLS_ERRORS[e.code]} (${e.code})` };
  if (e.code) return { code: 'NETWORK', message: `connection failed: ${e.code}${NETWORK_ERRORS[e.code] ? ` (${NETWORK_ERRORS[e.code]})` : ''}${partly}` };
  return { code: 'NETWORK', message: `${e.message ?? String(error)}${partly}` };
}

/**
 * What a 429 that ended a row's retries means to the operator: the server wants fewer requests from this client, for
 * longer than the retries waited or than odin-bulk waits at all (a Retry-After over the longest backoff is not waited
 * for). Its Retry-After is shown as the server sent it (seconds, or a date).
 */
function tooManyRequests(retryAfter: string | string[] | undefined): string {
  const asked = typeof retryAfter === 'string' && retryAfter.trim() !== '' ? ` (Retry-After: ${short(retryAfter.trim())})` : '';
  return `; the server asks for fewer requests${asked}: lower --rate or --concurrency (or use --concurrency auto), then --resume`;
}

/** True when a body is an HTML page (a proxy's, a web UI's), not the JSON the API answers with. */
export function isHtml(body: unknown): boolean {
  return /^\s*</.test(bodyText(body));
}

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/** Odin's `{status, error, details}`, or the start of whatever else came back (an HTML error page, say). */
export function describeBody(body: unknown): string {
  const text = bodyText(body);
  if (text.trim() === '') return 'empty body';
  try {
    const json = JSON.parse(text) as { details?: unknown; error?: unknown };
    if (json && typeof json === 'object' && (json.details || json.error)) {
      const said = json.details || json.error;
      // Odin's texts are strings; a server that sends an object or a list is shown as JSON, not "[object Object]".
      return typeof said === 'string' ? said : short(JSON.stringify(said));
    }
  } catch {
    // not JSON: fall through
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const kind = /^\s*</.test(text) ? 'an HTML page: ' : '';
  return `${kind}${short(plain)}`;
}

function short(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Node's certificate verification codes, in words an operator can act on. */
const TLS_ERRORS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a CA this machine does not trust (a private CA? pass it with --ca-file)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server presents a self-signed certificate (trust it with --ca-file)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is signed by a CA this machine does not trust (a private CA? pass it with --ca-file)',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate\'s issuer is not known (a private CA? pass it with --ca-file)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate\'s issuer is not known (a private CA? pass it with --ca-file)',
  CERT_HAS_EXPIRED: 'the server\'s certificate has expired',
  CERT_NOT_YET_VALID: 'the server\'s certificate is not valid yet (check the clocks)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host (check ODIN_BASE_URL\'s host name)',
  CERT_SIGNATURE_FAILURE: 'the certificate\'s signature does not verify',
  CERT_REVOKED: 'the certificate has been revoked',
};

const NETWORK_ERRORS: Record<string, string> = {
  ECONNRESET: 'the server closed the connection before answering',
  ECONNREFUSED: 'nothing accepts connections at that address and port',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved just now (DNS)',
  EPIPE: 'the server closed the connection while the request was sent',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  EPROTO: 'the TLS handshake failed (is it an https:// URL for an http server, or the other way round?)',
};
