import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export type TokenClaims = { sub: string; iat: number; exp: number; jti: string };
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const CACHE_LIMIT = 10_000;

/**
 * JWT-shaped HS256 tokens signed with a per-server random secret.
 * Verified tokens are cached, so a request costs one map lookup, not an HMAC.
 */
export class TokenService {
  private readonly secret = randomBytes(32);
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeSeconds: () => number,
    /** Told of every token issued (the simulator keeps them for tests that look for leaks). */
    private readonly onIssue: (token: string) => void = () => {},
  ) {}

  issue(sub: string): { token: string; claims: TokenClaims } {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = { sub, iat, exp: iat + this.lifetimeSeconds(), jti: randomUUID() };
    const unsigned = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const token = `${unsigned}.${this.sign(unsigned).toString('base64url')}`;
    this.remember(token, claims);
    this.onIssue(token);
    return { token, claims };
  }

  verify(token: string): TokenCheck {
    const claims = this.verified.get(token) ?? this.checkSignature(token);
    if (!claims) return { ok: false, reason: 'invalid' };
    if (claims.exp <= Math.floor(this.now() / 1000)) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private checkSignature(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const expected = this.sign(`${parts[0]}.${parts[1]}`);
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
      if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return undefined;
      this.remember(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }

  private sign(data: string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }

  private remember(token: string, claims: TokenClaims): void {
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, claims);
  }
}

/** The token from an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
