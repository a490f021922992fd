import { createHmac, randomBytes } from 'node:crypto';
import { JwtError, signAccessToken, verifyAccessToken, type JwtFailure } from './jwt.js';

const key = randomBytes(32);
const now = Date.UTC(2030, 0, 1, 8, 0, 0);
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function forge(header: unknown, claims: unknown, signingKey = key): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', signingKey).update(input).digest('base64url')}`;
}

function failure(token: string, at = now, k = key): JwtFailure | 'accepted' {
  try {
    verifyAccessToken(k, token, at);
    return 'accepted';
  } catch (e) {
    if (e instanceof JwtError) return e.reason;
    throw e;
  }
}

describe('HS256 access tokens', () => {
  const { token, claims } = signAccessToken(key, { userId: 'user-1', sessionId: 'session-1' }, 900, now);
  const valid = {
    sub: 'user-1',
    sid: 'session-1',
    typ: 'access',
    iss: 'tdc-lims',
    iat: now / 1000,
    exp: now / 1000 + 900,
  };

  it('round-trips the claims', () => {
    expect(claims).toEqual(valid);
    expect(verifyAccessToken(key, token, now + 899_000)).toEqual(valid);
  });

  it('is a standard JWT any HS256 implementation can check', () => {
    const [h, p, s] = token.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')).toBe(s);
  });

  it('rejects it once expired (exp is exclusive)', () => {
    expect(failure(token, now + 900_000)).toBe('expired');
    expect(failure(token, now + 899_999)).toBe('accepted');
  });

  it('rejects another key, a changed payload or signature', () => {
    expect(failure(token, now, randomBytes(32))).toBe('bad_signature');
    const [h, , s] = token.split('.');
    expect(failure(`${h}.${b64({ ...valid, sub: 'admin' })}.${s}`)).toBe('bad_signature');
    expect(failure(`${h}.${b64(valid)}.${s!.slice(0, -2)}`)).toBe('bad_signature');
  });

  it('rejects alg none and other algorithms even when "signed"', () => {
    expect(failure(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid)}.`)).toBe('malformed');
    expect(failure(forge({ alg: 'none' }, valid))).toBe('malformed');
    expect(failure(forge({ alg: 'HS512', typ: 'JWT' }, valid))).toBe('malformed');
    expect(failure(forge({ alg: 'HS256', typ: 'JWE' }, valid))).toBe('malformed');
  });

  it('rejects malformed tokens', () => {
    for (const t of ['', 'a.b', 'a.b.c.d', 'not a token', `${token}.`, '..', 'e30.e30.!!'])
      expect(failure(t)).toBe('malformed');
    expect(failure(forge([1], valid))).toBe('malformed');
  });

  it('checks typ, iss, sub, iat and exp', () => {
    const h = { alg: 'HS256', typ: 'JWT' };
    expect(failure(forge(h, valid))).toBe('accepted');
    expect(failure(forge(h, { ...valid, typ: 'refresh' }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, iss: 'someone-else' }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, sub: '' }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, sub: 42 }))).toBe('invalid_claims');
    // A token without its session (issued before sessions were checked) cannot be ended early: refused.
    expect(failure(forge(h, { ...valid, sid: undefined }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, sid: '' }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, exp: String(valid.exp) }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, iat: 1.5 }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, iat: valid.iat + 61 }))).toBe('invalid_claims');
    expect(failure(forge(h, { ...valid, iat: valid.iat + 59 }))).toBe('accepted');
    expect(failure(forge(h, 'just a string'))).toBe('invalid_claims');
  });
});
