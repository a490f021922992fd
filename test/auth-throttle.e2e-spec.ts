import { Redis } from 'ioredis';
import { UserService } from '#libs/auth';
import { QUEUE_BACKEND } from '#libs/core';
import { TEST_REDIS_URL } from './support/database.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { clientAddress, TEST_SETUP } from './support/factories.js';

const PASSWORD = 'a long enough passphrase';

/**
 * Login throttling (libs/auth/src/session/login-throttle.ts) against the real API and a real Redis:
 * nobody can lock a colleague out, and a flood from one address is refused. The test system trusts
 * X-Forwarded-For from loopback (TRUST_PROXY=loopback), so each request names its client address.
 */
describe('login throttling', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => sys?.close());

  const login = (from: string, username: string, password: string) =>
    sys.http().post('/auth/login').set('X-Forwarded-For', from).send({ username, password });
  const makeUser = (username: string) =>
    sys.app
      .get(UserService)
      .create({ username, fullName: 'Lê Văn Tâm', roles: ['technician'], password: PASSWORD }, TEST_SETUP);

  it('100 wrong logins for an account from other addresses do not stop its owner logging in from theirs', async () => {
    await makeUser('target.admin');
    const wrongPerAddress: number[] = [];
    for (let a = 0; a < 10; a++) {
      const attacker = clientAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await login(attacker, 'target.admin', `guess ${a}.${i}`)).status);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      wrongPerAddress.push(statuses.filter((s) => s === 401).length);
    }
    // Each attacking address had its five free tries, one more that set a wait, then was made to
    // wait (one more may slip through on a slow machine, once the first second has passed)…
    for (const wrong of wrongPerAddress) expect(wrong).toBeGreaterThanOrEqual(6);
    for (const wrong of wrongPerAddress) expect(wrong).toBeLessThanOrEqual(7);
    // …and the owner, at their own desk, logs in at once, even after a typo of their own.
    const desk = clientAddress();
    expect((await login(desk, 'target.admin', 'a long enough passphrasf')).status).toBe(401);
    const res = await login(desk, 'TARGET.admin', PASSWORD);
    expect(res.status).toBe(200);
  });

  it('backs off exponentially per account at an address, with Retry-After, and a success there forgets it', async () => {
    await makeUser('typo.prone');
    const here = clientAddress();
    for (let i = 1; i <= 6; i++) expect((await login(here, 'typo.prone', `wrong ${i}`)).status).toBe(401);
    // The sixth failure set a one-second wait: even the right password waits (nothing is checked meanwhile).
    const refused = await login(here, 'typo.prone', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'auth.login_throttled' });
    expect(refused.headers['retry-after']).toBe('1');
    // From another address the same account is not held up at all.
    expect((await login(clientAddress(), 'typo.prone', PASSWORD)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await login(here, 'typo.prone', PASSWORD)).status).toBe(200);
    // The success cleared the count for this account here: five free tries again.
    for (let i = 1; i <= 6; i++) expect((await login(here, 'typo.prone', `again ${i}`)).status).toBe(401);
    expect((await login(here, 'typo.prone', PASSWORD)).status).toBe(429);
  });

  it('throttles 60 logins from one address in under a second (429 with Retry-After)', async () => {
    await makeUser('busy.desk');
    const flood = clientAddress();
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 60 }, () => login(flood, 'busy.desk', PASSWORD)));
    const sentWithin = Date.now() - started;
    const refused = all.filter((r) => r.status === 429);
    expect(all.filter((r) => r.status === 200).length).toBe(sys.env.LOGIN_RATE_LIMIT);
    expect(refused.length).toBe(60 - sys.env.LOGIN_RATE_LIMIT);
    for (const r of refused) {
      expect(r.body.code).toBe('auth.login_rate_limited');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // Another address is not affected.
    expect((await login(clientAddress(), 'busy.desk', PASSWORD)).status).toBe(200);
    expect(sentWithin).toBeLessThan(15_000);
  });
});

describe('login throttling without TRUST_PROXY', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ env: { TRUST_PROXY: '', LOGIN_RATE_LIMIT: '5' } });
    await sys.app
      .get(UserService)
      .create(
        { username: 'proxy.less', fullName: 'Lê Văn Tâm', roles: ['technician'], password: PASSWORD },
        TEST_SETUP,
      );
  });
  afterAll(async () => sys?.close());

  it('ignores X-Forwarded-For: a client cannot pick a new address per attempt to escape the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await sys
        .http()
        .post('/auth/login')
        .set('X-Forwarded-For', clientAddress())
        .send({ username: 'proxy.less', password: PASSWORD });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('rate limits on Redis', () => {
  let sys: TestSystem;
  let redis: Redis;
  beforeAll(async () => {
    sys = await startTestSystem();
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await sys?.close();
  });

  it('the login throttle and the public lookup limit count in Redis over one shared connection', async () => {
    const prefix = sys.app.get<{ options: { prefix?: string } }>(QUEUE_BACKEND).options.prefix!;
    await sys.http().post('/auth/login').set('X-Forwarded-For', clientAddress()).send({ username: 'x', password: 'y' });
    await sys.http().get('/public/certificates/KĐ-2026-999999').set('X-Forwarded-For', clientAddress());
    expect(await redis.keys(`${prefix}:login-attempts*`)).not.toEqual([]);
    expect(await redis.keys(`${prefix}:public-rate*`)).not.toEqual([]);
    // Our own connections carry the installation's prefix after `tdc-` (BullMQ's start with the prefix).
    const names = ((await redis.client('LIST')) as string)
      .split('\n')
      .map((line) => /\bname=(\S*)/.exec(line)?.[1])
      .filter((name) => name?.startsWith('tdc-') && name.endsWith(`:${prefix}`));
    expect(names).toEqual([`tdc-rate-limits:${prefix}`]);
  });
});
