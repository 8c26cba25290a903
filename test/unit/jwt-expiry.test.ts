import { describe, expect, it } from '@jest/globals';
import { jwtExpiryMs } from '../../src/client/jwt-expiry.js';

const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: unknown) => `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;

describe('jwtExpiryMs', () => {
  it('reads exp (seconds) as epoch milliseconds', () => {
    expect(jwtExpiryMs(jwt({ sub: 'admin', exp: 1_767_323_045 }))).toBe(1_767_323_045_000);
  });

  it.each([
    ['an opaque token', 'abc123'],
    ['no exp claim', jwt({ sub: 'admin' })],
    ['a non-numeric exp', jwt({ exp: '1767323045' })],
    ['a payload that is not JSON', 'aGVhZA.bm90IGpzb24.c2ln'],
    ['an empty string', ''],
  ])('undefined for %s', (_, token) => {
    expect(jwtExpiryMs(token)).toBeUndefined();
  });
});
