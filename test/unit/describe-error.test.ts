import { describe, expect, it } from '@jest/globals';
import { describeBody, describeRequestError } from '../../src/client/describe-error.js';

const httpError = (statusCode: number, body: string, statusMessage?: string) => ({
  name: 'HTTPError',
  message: `Response code ${statusCode}`,
  response: { statusCode, statusMessage, body },
});

describe('describeBody', () => {
  it("uses Odin's {status, error, details}: details first, else error", () => {
    expect(describeBody('{"status":400,"error":"Bad Request","details":"Invalid value for clidPolicy"}')).toBe('Invalid value for clidPolicy');
    expect(describeBody('{"status":500,"error":"Internal Server Error"}')).toBe('Internal Server Error');
    expect(describeBody(Buffer.from('{"details":"from a buffer"}'))).toBe('from a buffer');
  });

  it('an HTML error page becomes its title, marked as HTML', () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>';
    expect(describeBody(page)).toBe('an HTML page: 502 Bad Gateway');
    expect(describeBody('<html><body><h1>Service   Unavailable</h1></body></html>')).toBe('an HTML page: Service Unavailable');
  });

  it('empty and whitespace bodies say so', () => {
    expect(describeBody('')).toBe('empty body');
    expect(describeBody('  \n')).toBe('empty body');
    expect(describeBody(undefined)).toBe('empty body');
  });

  it('other text is shown, shortened', () => {
    expect(describeBody('upstream timed out')).toBe('upstream timed out');
    expect(describeBody('x'.repeat(500))).toBe(`${'x'.repeat(117)}…`);
    expect(describeBody('[]')).toBe('[]');
  });
});

describe('describeRequestError', () => {
  it.each([
    [404, 'NOT_FOUND'],
    [401, 'AUTH'],
    [403, 'AUTH'],
    [400, 'HTTP_4XX'],
    [409, 'HTTP_4XX'],
    [500, 'HTTP_5XX'],
    [503, 'HTTP_5XX'],
  ])('HTTP %i → %s, with the status and the body in the message', (status, code) => {
    const result = describeRequestError(httpError(status, '{"details":"why"}', 'Reason'));
    expect(result).toEqual({ code, status, message: `HTTP ${status} Reason: why`, said: 'why', html: false });
  });

  it('a 429 says the server wants fewer requests and what to do, with its Retry-After as sent', () => {
    const advice = 'lower --rate or --concurrency (or use --concurrency auto), then --resume';
    const plain = describeRequestError(httpError(429, '{"details":"slow down"}', 'Too Many Requests'));
    expect(plain).toMatchObject({ code: 'HTTP_4XX', status: 429, message: `HTTP 429 Too Many Requests: slow down; the server asks for fewer requests: ${advice}` });
    const waited = describeRequestError({ ...httpError(429, '', 'Too Many Requests'), response: { statusCode: 429, statusMessage: 'Too Many Requests', body: '', headers: { 'retry-after': '300' } } });
    expect(waited.message).toBe(`HTTP 429 Too Many Requests: empty body; the server asks for fewer requests (Retry-After: 300): ${advice}`);
  });

  it('an HTML 502 keeps its status', () => {
    expect(describeRequestError(httpError(502, '<html><title>502 Bad Gateway</title></html>'))).toEqual({
      code: 'HTTP_5XX',
      status: 502,
      message: 'HTTP 502: an HTML page: 502 Bad Gateway',
      said: 'an HTML page: 502 Bad Gateway',
      html: true,
    });
  });

  it('timeouts and network errors carry no status', () => {
    expect(describeRequestError({ name: 'TimeoutError', code: 'ETIMEDOUT', message: "Timeout awaiting 'request' for 100ms" })).toEqual({
      code: 'TIMEOUT',
      message: "no answer in time (Timeout awaiting 'request' for 100ms)",
    });
    expect(describeRequestError({ name: 'RequestError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })).toEqual({
      code: 'NETWORK',
      message: 'connection failed: ECONNREFUSED (nothing accepts connections at that address and port)',
    });
    expect(describeRequestError(new Error('socket hang up'))).toEqual({ code: 'NETWORK', message: 'socket hang up' });
  });
});
