import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
import { loadEnv, RateLimitRedis } from '#libs/core';
import { PublicRateLimiter } from './public-rate-limit.js';

// Against the real Redis of the test machine (as the e2e tests), never a mock.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const started: RateLimitRedis[] = [];

async function limiter(env: Record<string, string>, prefix?: string): Promise<PublicRateLimiter> {
  const loaded = loadEnv({ PUBLIC_RATE_LIMIT: '3', ...env });
  const redis = new RateLimitRedis(loaded, { options: { prefix } });
  await redis.onModuleInit();
  started.push(redis);
  return new PublicRateLimiter(loaded, redis);
}

async function allowed(l: PublicRateLimiter, client: string, times: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < times; i++) out.push((await l.hit(client)).allowed);
  return out;
}

afterEach(async () => {
  for (const l of started.splice(0)) await l.onModuleDestroy();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

/** A Redis of this test's own (it is stopped mid-test; the shared one is never touched). */
async function ownRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((ok) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        ok(true);
      });
      socket.on('error', () => ok(false));
    });
    if (up) return { url: `redis://127.0.0.1:${port}`, process: child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

describe('public rate limit', () => {
  it('without REDIS_URL counts per address in this process, and says how long the window lasts', async () => {
    const a = await limiter({ PUBLIC_RATE_LIMIT_WINDOW_MS: '60000' });
    const other = await limiter({ PUBLIC_RATE_LIMIT_WINDOW_MS: '60000' });
    expect(await a.hit('203.0.113.1')).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
    expect(await allowed(a, '203.0.113.1', 3)).toEqual([true, true, false]);
    const refused = await a.hit('203.0.113.1');
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.resetSeconds).toBeGreaterThan(0);
    expect(refused.resetSeconds).toBeLessThanOrEqual(60);
    expect(a.error(refused)).toMatchObject({ code: 'public.rate_limited', retryAfterSeconds: refused.resetSeconds });
    expect(await allowed(a, '203.0.113.2', 1)).toEqual([true]);
    expect(await allowed(other, '203.0.113.1', 1)).toEqual([true]);
  });

  it('with REDIS_URL, two API instances on one Redis and one prefix share the count', async () => {
    const prefix = `tdc_spec_${randomBytes(4).toString('hex')}`;
    // A generous Redis timeout: these check the shared count, not the fallback (which a loaded machine would hit at 10 ms).
    const env = { REDIS_URL, PUBLIC_RATE_LIMIT_WINDOW_MS: '60000', PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '1000' };
    const first = await limiter(env, prefix);
    const second = await limiter(env, prefix);
    const elsewhere = await limiter(env, `${prefix}_other`);
    expect(await allowed(first, '198.51.100.7', 2)).toEqual([true, true]);
    expect(await second.hit('198.51.100.7')).toMatchObject({ allowed: true, remaining: 0 });
    expect(await allowed(second, '198.51.100.7', 1)).toEqual([false]);
    expect(await allowed(first, '198.51.100.7', 1)).toEqual([false]);
    expect(await allowed(first, '198.51.100.8', 1)).toEqual([true]);
    expect(await allowed(elsewhere, '198.51.100.7', 1)).toEqual([true]);
  });

  it('with REDIS_URL, starts a new window once the old one ends', async () => {
    const l = await limiter(
      { REDIS_URL, PUBLIC_RATE_LIMIT_WINDOW_MS: '1000' },
      `tdc_spec_${randomBytes(4).toString('hex')}`,
    );
    expect(await allowed(l, '192.0.2.1', 4)).toEqual([true, true, true, false]);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await allowed(l, '192.0.2.1', 1)).toEqual([true]);
  });

  it('with REDIS_URL, a Redis that stops answering holds no request up: past the timeout this process counts', async () => {
    const redis = await ownRedis();
    try {
      const l = await limiter(
        { REDIS_URL: redis.url, PUBLIC_RATE_LIMIT_WINDOW_MS: '60000', PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: '20' },
        'stall',
      );
      expect(await allowed(l, '192.0.2.20', 2)).toEqual([true, true]); // counted in Redis
      redis.process.kill('SIGSTOP'); // connected, but no answer will come
      const waits: number[] = [];
      const decisions: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        const started = performance.now();
        const decision = await Promise.race([
          l.hit('192.0.2.20'),
          new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 1000)),
        ]);
        waits.push(performance.now() - started);
        decisions.push(decision !== 'still waiting' && decision.allowed);
        if (decision === 'still waiting') break;
      }
      // the insurance limiter counts from zero in this process: three more, then refused
      expect(decisions).toEqual([true, true, true, false]);
      expect(Math.max(...waits)).toBeLessThan(500);
    } finally {
      redis.process.kill('SIGCONT');
      redis.process.kill('SIGKILL');
    }
  });

  it('while Redis cannot be reached, counts in this process instead of failing', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const l = await limiter({ REDIS_URL: `redis://127.0.0.1:${port}`, PUBLIC_RATE_LIMIT_WINDOW_MS: '60000' }, 'x');
    expect(await allowed(l, '192.0.2.9', 4)).toEqual([true, true, true, false]);
  });
});
