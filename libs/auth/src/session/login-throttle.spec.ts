import { loadEnv, RateLimitedError, RateLimitRedis } from '#libs/core';
import { LoginThrottle } from './login-throttle.js';

/** The in-process store (no REDIS_URL); the e2e suite drives the Redis one through the API. */
describe('LoginThrottle in memory', () => {
  const throttle = (env: Record<string, string> = {}) =>
    new LoginThrottle(
      loadEnv({ LOGIN_RATE_LIMIT: '1000', ...env }),
      new RateLimitRedis({ REDIS_URL: undefined }, { options: { prefix: 'unit' } }),
    );

  async function refusal(t: LoginThrottle, address: string, username: string): Promise<string | undefined> {
    try {
      await t.admit(address, username);
      return undefined;
    } catch (e) {
      if (e instanceof RateLimitedError) return e.code;
      throw e;
    }
  }

  it('backs an address off after 100 failures over any accounts, and only that address', async () => {
    const t = throttle();
    for (let i = 0; i < 100; i++) await t.failed('203.0.113.5', `user${i}`);
    expect(await refusal(t, '203.0.113.5', 'someone.new')).toBeUndefined();
    await t.failed('203.0.113.5', 'user100');
    expect(await refusal(t, '203.0.113.5', 'someone.new')).toBe('auth.login_throttled');
    expect(await refusal(t, '203.0.113.6', 'user1')).toBeUndefined();
    // A success does not clear the address's count: a stuffer who guesses one password goes on waiting.
    await t.succeeded('203.0.113.5', 'user7');
    expect(await refusal(t, '203.0.113.5', 'user7')).toBe('auth.login_throttled');
  });

  it('keys an account case-insensitively per address', async () => {
    const t = throttle();
    for (let i = 0; i < 6; i++) await t.failed('198.51.100.1', i % 2 ? 'An.Nguyen' : 'an.nguyen');
    expect(await refusal(t, '198.51.100.1', 'AN.NGUYEN')).toBe('auth.login_throttled');
    expect(await refusal(t, '198.51.100.2', 'an.nguyen')).toBeUndefined();
    expect(await refusal(t, '198.51.100.1', 'binh.tran')).toBeUndefined();
  });

  it('counts every attempt per address against LOGIN_RATE_LIMIT', async () => {
    const t = throttle({ LOGIN_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) expect(await refusal(t, '192.0.2.1', 'x')).toBeUndefined();
    expect(await refusal(t, '192.0.2.1', 'x')).toBe('auth.login_rate_limited');
    expect(await refusal(t, '192.0.2.2', 'x')).toBeUndefined();
  });
});
