/** How a failed request is described on a row and in the log: never with headers, tokens or credentials. */
export type RowErrorCode = 'HTTP_4XX' | 'HTTP_5XX' | 'NOT_FOUND' | 'AUTH' | 'TIMEOUT' | 'NETWORK' | 'BAD_RESPONSE' | 'VERIFY' | 'CONFLICT' | 'INTERRUPTED';

export type RequestFailure = { code: RowErrorCode; status?: number; message: string };

type GotLike = {
  name?: string;
  code?: string;
  message?: string;
  response?: { statusCode?: number; statusMessage?: string; body?: unknown };
};

/** Maps got's errors to a code and a message an operator can act on. */
export function describeRequestError(error: unknown): RequestFailure {
  const e = error as GotLike;
  const status = e.response?.statusCode;
  if (status !== undefined) {
    const code: RowErrorCode =
      status === 404 ? 'NOT_FOUND' : status === 401 || status === 403 ? 'AUTH' : status >= 500 ? 'HTTP_5XX' : 'HTTP_4XX';
    const reason = e.response?.statusMessage ? ` ${e.response.statusMessage}` : '';
    return { code, status, message: `HTTP ${status}${reason}: ${describeBody(e.response?.body)}` };
  }
  if (e.name === 'AbortError') {
    return { code: 'INTERRUPTED', message: 'aborted: the run was interrupted while this request was in flight (it may or may not have reached the server)' };
  }
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return { code: 'TIMEOUT', message: `no answer in time (${e.message ?? 'timeout'})` };
  }
  if (e.code) return { code: 'NETWORK', message: `connection failed: ${e.code}` };
  return { code: 'NETWORK', message: e.message ?? String(error) };
}

/** Odin's `{status, error, details}`, or the start of whatever else came back (an HTML error page, say). */
export function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text.trim() === '') return 'empty body';
  try {
    const json = JSON.parse(text) as { details?: unknown; error?: unknown };
    if (json && typeof json === 'object' && (json.details || json.error)) {
      return String(json.details ?? json.error);
    }
  } catch {
    // not JSON: fall through
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const kind = /^\s*</.test(text) ? 'an HTML page: ' : '';
  return `${kind}${plain.length > 120 ? `${plain.slice(0, 117)}…` : plain}`;
}
