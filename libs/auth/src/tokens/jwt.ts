import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A minimal HS256 JSON Web Token (RFC 7519) for staff access tokens: only what this system issues
 * and accepts. No library is installed for it; `jose` could replace this without changing callers.
 * Verification accepts exactly `alg: HS256`, so neither `none` nor an algorithm switch gets through.
 */
export interface AccessClaims {
  /** staff_user id */
  sub: string;
  /** The login session (refresh-token family): checked on every use, so ending it ends the token too. */
  sid: string;
  typ: 'access';
  /** seconds since the epoch */
  iat: number;
  exp: number;
  iss: string;
}

export const JWT_ISSUER = 'tdc-lims';
/** Tolerated clock difference for `iat` in the future (another API process, another host). */
const CLOCK_SKEW_S = 60;
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export type JwtFailure = 'malformed' | 'bad_signature' | 'expired' | 'invalid_claims';

export class JwtError extends Error {
  constructor(readonly reason: JwtFailure) {
    super(`access token rejected: ${reason}`);
    this.name = 'JwtError';
  }
}

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

function mac(key: Buffer, input: string): Buffer {
  return createHmac('sha256', key).update(input).digest();
}

export function signAccessToken(
  key: Buffer,
  subject: { userId: string; sessionId: string },
  ttlSeconds: number,
  nowMs = Date.now(),
): { token: string; claims: AccessClaims } {
  const iat = Math.floor(nowMs / 1000);
  const claims: AccessClaims = {
    sub: subject.userId,
    sid: subject.sessionId,
    typ: 'access',
    iat,
    exp: iat + ttlSeconds,
    iss: JWT_ISSUER,
  };
  const input = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return { token: `${input}.${mac(key, input).toString('base64url')}`, claims };
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Returns the claims of a valid, unexpired access token; throws JwtError saying why otherwise. */
export function verifyAccessToken(key: Buffer, token: string, nowMs = Date.now()): AccessClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) throw new JwtError('malformed');
  const [header, payload, signature] = parts as [string, string, string];
  const header_ = parseJson(header);
  if (header_?.alg !== 'HS256' || (header_.typ !== undefined && header_.typ !== 'JWT')) throw new JwtError('malformed');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, `${header}.${payload}`);
  // Length first: timingSafeEqual throws on different lengths, and the length of a MAC is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new JwtError('bad_signature');
  const c = parseJson(payload);
  if (
    !c ||
    c.typ !== 'access' ||
    c.iss !== JWT_ISSUER ||
    typeof c.sub !== 'string' ||
    c.sub.length === 0 ||
    typeof c.sid !== 'string' ||
    c.sid.length === 0 ||
    !Number.isInteger(c.iat) ||
    !Number.isInteger(c.exp)
  ) {
    throw new JwtError('invalid_claims');
  }
  const now = Math.floor(nowMs / 1000);
  if ((c.iat as number) > now + CLOCK_SKEW_S) throw new JwtError('invalid_claims');
  if ((c.exp as number) <= now) throw new JwtError('expired');
  return c as unknown as AccessClaims;
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
