// The public rate limiter alone, on Redis: latency of PublicRateLimiter.hit() at a fixed 500 per second
// (open loop, from when each hit was due), with the Redis bound PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS at
// 10 ms (the default) and at 1000 ms (in effect none: how it was before the bound), interleaved, on a
// redis-server of the benchmark's own that is (a) left alone and (b) stopped for 50 ms every 500 ms
// (SIGSTOP/SIGCONT), as a Redis busy with a long script or a fork would be.
//
//   npm run bench -- public-rate-limit     BENCH_SECONDS=5 BENCH_ROUNDS=3
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { loadEnv, RateLimitRedis } from '#libs/core';
import { PublicRateLimiter } from '../libs/certificates/src/public/public-rate-limit.js';
import { median, percentile, round, runWhenMain, type BenchResult } from './support/certificate-bench.js';

export const name = 'public-rate-limit';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = 500;
const BOUNDS = [10, 1000];

async function ownRedis(): Promise<{ url: string; child: ChildProcess }> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((ok) => probe.close(ok));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        ok(true);
      });
      s.on('error', () => ok(false));
    });
    if (up) return { url: `redis://127.0.0.1:${port}`, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

/** Milliseconds from when each hit was due to its decision, at RATE per second for SECONDS. */
async function latencies(url: string, bound: number): Promise<number[]> {
  const env = loadEnv({
    REDIS_URL: url,
    PUBLIC_RATE_LIMIT: '1000000',
    PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: String(bound),
  });
  const redis = new RateLimitRedis(env, { options: { prefix: `tdc_bench_${process.pid}` } });
  await redis.onModuleInit();
  const limiter = new PublicRateLimiter(env, redis);
  try {
    for (let i = 0; i < 200; i++) await limiter.hit('198.51.100.1'); // warm-up
    const total = SECONDS * RATE;
    const out: number[] = [];
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
        for (; sent < due; sent++) {
          const at = start + (sent * 1000) / RATE;
          void limiter.hit('198.51.100.1').then(() => {
            out.push(performance.now() - at);
            if (out.length === total) done();
          });
        }
        if (sent >= total) clearInterval(timer);
      }, 1);
    });
    return out;
  } finally {
    await redis.onModuleDestroy();
  }
}

export default async function run(ctx: { log(line: string): void }): Promise<BenchResult[]> {
  const redis = await ownRedis();
  const results: BenchResult[] = [];
  try {
    for (const stalls of [false, true]) {
      let stopped = false;
      const stall = stalls
        ? setInterval(() => {
            redis.child.kill('SIGSTOP');
            stopped = true;
            setTimeout(() => {
              redis.child.kill('SIGCONT');
              stopped = false;
            }, 50);
          }, 500)
        : undefined;
      const p99 = new Map<number, number[]>(BOUNDS.map((b) => [b, []]));
      try {
        for (let r = 0; r < ROUNDS; r++) {
          for (const bound of r % 2 ? [...BOUNDS].reverse() : BOUNDS) {
            const l = await latencies(redis.url, bound);
            p99.get(bound)!.push(percentile(l, 99));
            ctx.log(
              `${stalls ? 'Redis stopped 50 ms every 500 ms' : 'Redis left alone'}, bound ${bound} ms: p50 ${round(percentile(l, 50))} ms, p99 ${round(percentile(l, 99))} ms, max ${round(Math.max(...l), 1)} ms`,
            );
          }
        }
      } finally {
        clearInterval(stall);
        if (stopped) redis.child.kill('SIGCONT');
      }
      for (const bound of BOUNDS)
        results.push({
          metric: `hit() p99 at ${RATE}/s, ${stalls ? 'stalling Redis' : 'Redis'}, bound ${bound} ms`,
          value: round(median(p99.get(bound)!)),
          unit: 'ms',
          note: `median of ${ROUNDS} (${p99
            .get(bound)!
            .map((v) => round(v, 1))
            .join(', ')}); load ${loadavg()[0]!.toFixed(1)}`,
        });
    }
    return results;
  } finally {
    redis.child.kill('SIGCONT');
    redis.child.kill('SIGKILL');
  }
}

runWhenMain(import.meta.url, run);
