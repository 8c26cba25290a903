import { describe, expect, it } from '@jest/globals';
import { JobError } from '../../src/model/errors.js';
import { connectionFromEnv } from '../../src/settings/connection.js';

const ENV = { ODIN_BASE_URL: 'https://odin.example.com/api/v2/', ODIN_USERNAME: 'admin', ODIN_PASSWORD: 'pw-123456' };

function thrown(fn: () => unknown): JobError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(JobError);
    return error as JobError;
  }
  throw new Error('expected a JobError');
}

describe('connectionFromEnv', () => {
  it('reads the three variables and drops a trailing slash', () => {
    expect(connectionFromEnv(ENV)).toEqual({ baseUrl: 'https://odin.example.com/api/v2', username: 'admin', password: 'pw-123456', ca: undefined, insecure: undefined });
  });

  it('names every missing variable, as an input error', () => {
    const error = thrown(() => connectionFromEnv({ ODIN_USERNAME: 'admin', ODIN_PASSWORD: '' }));
    expect(error.code).toBe('EINPUT');
    expect(error.message).toBe('ODIN_BASE_URL, ODIN_PASSWORD are not set');
    expect(thrown(() => connectionFromEnv({ ...ENV, ODIN_USERNAME: undefined })).message).toBe('ODIN_USERNAME is not set');
  });

  it.each([
    ['not a URL', 'odin.example.com/api/v2', /is not a URL/],
    ['another scheme', 'ftp://odin.example.com/api/v2', /must start with https:\/\//],
    ['credentials in the URL', 'https://admin:pw@odin.example.com/api/v2', /must not contain credentials/],
  ])('refuses %s', (_, url, message) => {
    const error = thrown(() => connectionFromEnv({ ...ENV, ODIN_BASE_URL: url }));
    expect(error.code).toBe('EINPUT');
    expect(error.message).toMatch(message);
    expect(`${error.message} ${error.details.join(' ')}`).not.toContain('pw');
  });

  it.each([
    ['a line break after it', 'https://odin.example.com/api/v2\n', /white space \(a space or a line break\) before or after/],
    ['a space before it', ' https://odin.example.com/api/v2', /white space/],
    ['a query', 'https://odin.example.com/api/v2?tenant=1', /without a query \(\?…\) or a fragment/],
    ['an empty query', 'https://odin.example.com/api/v2?', /without a query/],
    ['a fragment', 'https://odin.example.com/api/v2#top', /without a query \(\?…\) or a fragment/],
  ])('refuses %s (once sent to a URL with it inside: …/api/v2?tenant=1/auth/token)', (_, url, message) => {
    const error = thrown(() => connectionFromEnv({ ...ENV, ODIN_BASE_URL: url }));
    expect(error.code).toBe('EINPUT');
    expect(error.message).toMatch(message);
  });

  it('an unreadable --ca-file is an input error', () => {
    expect(thrown(() => connectionFromEnv(ENV, { caFile: '/nonexistent/ca.pem' })).message).toBe('--ca-file /nonexistent/ca.pem cannot be read');
  });
});
