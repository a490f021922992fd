// Public certificate lookup: requests per second on GET /public/certificates/{number} in four servers
// of the same process, in alternating rounds, and the latency of each at a fixed 500 req/s:
//
//   bare     a bare node:http server answering the same JSON from memory (the floor of the machine);
//   bypass   the real API (createApi, Express) as shipped: PublicLookupFastPath answers the lookup
//            in front of the framework (same rate limiter, one-second cache);
//   express  the real API (createApi, Express) with the fast path taken out: the lookup goes through
//            Nest (pino-http, the access guard, the rate-limit guard, the idempotency interceptor,
//            the controller, the problem filter on errors);
//   fastify  the same AppModule on @nestjs/platform-fastify, fast path taken out, through the
//            framework (only when the adapter can be loaded: BENCH_FASTIFY_ADAPTER=<path to its
//            index.js>, or the package installed). Not a port of the API: see fastifyApi() below.
//   fastify-min  Nest on Fastify with one controller returning the same JSON from memory: no
//            database, guard, interceptor or logging; what any route through Nest can reach here.
//
// Aims (issue 6): bypass / bare ≥ 0.5; p99 < 20 ms at 500 req/s. Issue 10: the bypass goes if a
// framework variant reaches ≥ 0.9 × bare.
//
//   npm run bench -- public-lookup     BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CONNECTIONS=32
//   BENCH_VARIANTS=bare,bypass,express,fastify,fastify-min (the default: all that can start)
//   PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS=… passed to the API (the Redis limiter's bound)
// Load from wrk when installed (throughput; BENCH_LOAD=node forces the fallback), else a Node
// generator in a worker thread; the fixed rate always from the Node generator (wrk cannot hold a
// rate), three runs per variant, interleaved: the median p99 is reported, the machine being shared.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Controller, Get, Module, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { AppLogger, createValidationPipe } from '#libs/core';
import { createApi } from '../apps/api/src/api.js';
import { AppModule } from '../apps/api/src/app.module.js';
import { createWorker } from '../apps/worker/src/worker.js';
import { ApprovalFactory } from './support/approvals.js';
import {
  benchSystem,
  median,
  round,
  runWhenMain,
  type BenchResult,
  type BenchSystem,
} from './support/certificate-bench.js';
import { hasWrk, nodeLoad, wrkLoad, type LoadResult } from './support/load.js';

export const name = 'public-lookup';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RATE = 500;
const VARIANTS = ['bare', 'bypass', 'express', 'fastify', 'fastify-min'] as const;
type Variant = (typeof VARIANTS)[number];
const WANTED = new Set((process.env.BENCH_VARIANTS ?? VARIANTS.join(',')).split(',').map((v) => v.trim()));

const LABEL: Record<Variant, string> = {
  bare: 'bare node:http, same JSON from memory',
  bypass: 'API (Express) with the lookup fast path, as shipped',
  express: 'API on Express through the framework (no fast path)',
  fastify: 'AppModule on Fastify through the framework (no fast path)',
  'fastify-min': 'Nest on Fastify, one route answering the JSON from memory (the ceiling)',
};

interface Ctx {
  log(line: string): void;
}

async function listen(server: Server | INestApplication): Promise<number> {
  if ('getHttpServer' in server) {
    if (!server.getHttpServer().listening) await server.listen(0, '127.0.0.1');
    return (server.getHttpServer().address() as AddressInfo).port;
  }
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return (server.address() as AddressInfo).port;
}

/**
 * Initialises a Nest application and puts back the HTTP server's own request listener (Express's or
 * Fastify's), which PublicLookupFastPath replaces when the application boots: every request then
 * goes through the framework.
 */
async function withoutFastPath(app: INestApplication): Promise<INestApplication> {
  const server = app.getHttpServer() as Server;
  const framework = server.listeners('request') as ((...args: unknown[]) => void)[];
  await app.init();
  server.removeAllListeners('request');
  for (const listener of framework) server.on('request', listener);
  return app;
}

interface FastifyAdapterLike {
  getInstance(): {
    decorateReply(name: string, value: unknown): void;
  };
}

/**
 * The API's AppModule (every module, the global access guard, problem filter and idempotency
 * interceptor, the pino-http logging) on Fastify, set up as createApi sets up Express where Fastify allows:
 * trust proxy on loopback, a 20 MB body limit, helmet (through Nest's middie), the validation
 * pipe. Left out: the queue dashboard (bull-board's Express adapter) and Swagger UI, which the
 * lookup does not touch. Our code calls Express's `res.setHeader` on the response (rate-limit
 * guard, problem filter, idempotency interceptor); Fastify's reply has `header()` instead, so the
 * harness lends the reply a `setHeader` doing that.
 */
type FastifyAdapterClass = new (options?: object) => FastifyAdapterLike;

async function fastifyAdapter(log: (line: string) => void): Promise<FastifyAdapterClass | undefined> {
  const where = process.env.BENCH_FASTIFY_ADAPTER ?? '@nestjs/platform-fastify';
  try {
    return ((await import(where)) as { FastifyAdapter: FastifyAdapterClass }).FastifyAdapter;
  } catch (e) {
    log(`fastify variants skipped: cannot load ${where} (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
}

let constantBody: unknown;

@Controller('public')
class ConstantLookupController {
  @Get('certificates/:number')
  certificate(): unknown {
    return constantBody;
  }
}

@Module({ controllers: [ConstantLookupController] })
class ConstantLookupModule {}

async function fastifyMinimal(FastifyAdapter: FastifyAdapterClass, body: string): Promise<INestApplication> {
  constantBody = JSON.parse(body);
  return NestFactory.create<INestApplication>(ConstantLookupModule, new FastifyAdapter() as never, { logger: false });
}

async function fastifyApi(sys: BenchSystem, FastifyAdapter: FastifyAdapterClass): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ trustProxy: 'loopback', bodyLimit: 20 * 1024 * 1024 });
  adapter
    .getInstance()
    .decorateReply('setHeader', function (this: { header(n: string, v: unknown): void }, n: string, v: unknown) {
      this.header(n, v);
      return this;
    });
  const app = await NestFactory.create<INestApplication>(
    AppModule.forRoot(sys.env, sys.runtime.dataSource, sys.runtime.backend),
    adapter as never,
    { bufferLogs: true },
  );
  app.useLogger(app.get(AppLogger));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.useGlobalPipes(createValidationPipe());
  return app;
}

/** Issues certificates through the whole chain on `app`; returns the number of the one in the middle. */
async function issueCertificates(sys: BenchSystem, app: INestApplication): Promise<string> {
  const factory = await ApprovalFactory.create(app);
  const worker: INestApplicationContext = await createWorker(sys.env, sys.runtime.dataSource, sys.runtime.backend);
  try {
    const CERTIFICATES = 30;
    for (let i = 0; i < CERTIFICATES; i++) await factory.approve();
    const db = app.get(DataSource);
    let numbers: string[] = [];
    for (let i = 0; i < 600 && numbers.length < CERTIFICATES; i++) {
      await new Promise((r) => setTimeout(r, 100));
      numbers = ((await db.query(`SELECT number FROM certificate ORDER BY number`)) as { number: string }[]).map(
        (r) => r.number,
      );
    }
    if (numbers.length < CERTIFICATES) throw new Error(`only ${numbers.length} certificates were issued`);
    return numbers[Math.floor(CERTIFICATES / 2)]!;
  } finally {
    await worker.close();
  }
}

/** Checks that a server answers the lookup with the same body as the shipped API. */
async function sameAnswer(variant: Variant, url: string, expected: string): Promise<void> {
  const answer = await fetch(url);
  const body = await answer.text();
  if (answer.status !== 200 || JSON.stringify(JSON.parse(body)) !== JSON.stringify(JSON.parse(expected)))
    throw new Error(`${variant} answered ${answer.status} ${body}`);
}

interface Measured {
  closed: LoadResult[];
  fixed: LoadResult[];
}

/** Closed-loop rounds, the order of the variants rotated each round; then the fixed rate, interleaved. */
async function measure(urls: Map<Variant, string>, ctx: Ctx): Promise<Map<Variant, Measured>> {
  const wrk = process.env.BENCH_LOAD !== 'node' && hasWrk();
  const load = (url: string): Promise<LoadResult> =>
    wrk
      ? Promise.resolve(wrkLoad(url, { connections: CONNECTIONS, seconds: SECONDS }))
      : nodeLoad(url, { connections: CONNECTIONS, seconds: SECONDS });
  ctx.log(
    `load from ${wrk ? 'wrk' : 'a Node generator (wrk not installed, or BENCH_LOAD=node)'}, ${CONNECTIONS} connections, ${SECONDS} s per run; variants ${[...urls.keys()].join(', ')}`,
  );
  const variants = [...urls.keys()];
  const out = new Map(variants.map((v) => [v, { closed: [], fixed: [] } as Measured]));
  for (const url of urls.values()) await load(url); // warm-up: JIT, connection pools, PostgreSQL's plan cache
  for (let r = 0; r < ROUNDS; r++) {
    const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
    for (const v of order) {
      const result = await load(urls.get(v)!);
      if (result.errors > 0) throw new Error(`${v}: ${result.errors} failed requests`);
      out.get(v)!.closed.push(result);
    }
    ctx.log(
      `round ${r + 1}: ` + variants.map((v) => `${v} ${round(out.get(v)!.closed[r]!.perSecond, 0)} req/s`).join(', '),
    );
  }
  for (let r = 0; r < 3; r++) {
    for (const v of variants) {
      const result = await nodeLoad(urls.get(v)!, { connections: 64, seconds: SECONDS, rate: RATE });
      if (result.errors > 0) throw new Error(`${v}: ${result.errors} failed requests at ${RATE} req/s`);
      out.get(v)!.fixed.push(result);
    }
    ctx.log(
      `at ${RATE} req/s for ${SECONDS} s: ` +
        variants.map((v) => `${v} p99 ${round(out.get(v)!.fixed[r]!.p99, 2)} ms`).join(', '),
    );
  }
  return out;
}

function results(measured: Map<Variant, Measured>, wrk: boolean): BenchResult[] {
  const bare = measured.get('bare')!;
  const note = `${wrk ? 'wrk' : 'node'} ${CONNECTIONS} connections × ${SECONDS} s, ${ROUNDS} rounds; load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
  const out: BenchResult[] = [];
  for (const [v, m] of measured) {
    out.push({
      metric: `${LABEL[v]} (req/s)`,
      value: round(median(m.closed.map((c) => c.perSecond)), 0),
      unit: 'req/s',
    });
    if (v !== 'bare')
      out.push({
        metric: `${v} / bare node:http (median of the rounds)`,
        value: round(median(m.closed.map((c, i) => c.perSecond / bare.closed[i]!.perSecond))),
        unit: '×',
        // The 0.9 of issue 10 decides whether the bypass could go; it is not an aim of the shipped code.
        ...(v === 'bypass'
          ? { target: 0.5, better: 'higher' as const, note }
          : { note: `${note}; bypass goes at ≥ 0.9` }),
      });
    out.push({
      metric: `${v}: p99 at ${RATE} req/s`,
      value: round(median(m.fixed.map((f) => f.p99)), 2),
      unit: 'ms',
      ...(v === 'bypass' ? { target: 20 } : {}),
      note: `p99 median of 3 runs (${m.fixed.map((f) => round(f.p99, 1)).join(', ')}); p50 ${round(median(m.fixed.map((f) => f.p50)), 2)} ms; open loop, from when each request was due`,
    });
  }
  return out;
}

export default async function run(ctx: Ctx): Promise<BenchResult[]> {
  // PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS=1000 lets a lookup wait for Redis as before the bound (10 ms by default).
  const timeout = process.env.PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS;
  const sys: BenchSystem = await benchSystem(timeout ? { PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS: timeout } : {});
  const apps: INestApplication[] = [];
  let bare: Server | undefined;
  try {
    const shipped = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    apps.push(shipped);
    const number = await issueCertificates(sys, shipped);
    const path = `/public/certificates/${encodeURIComponent(number)}`;
    const urls = new Map<Variant, string>();
    const bypassUrl = `http://127.0.0.1:${await listen(shipped)}${path}`;
    const answer = await fetch(bypassUrl);
    const body = await answer.text();
    if (answer.status !== 200 || !body.includes('"status":"valid"'))
      throw new Error(`lookup answered ${answer.status} ${body}`);
    const bytes = Buffer.from(body);
    bare = createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
      res.end(bytes);
    });
    urls.set('bare', `http://127.0.0.1:${await listen(bare)}${path}`); // always: the ratios' denominator
    if (WANTED.has('bypass')) urls.set('bypass', bypassUrl);
    if (WANTED.has('express')) {
      const app = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend);
      apps.push(await withoutFastPath(app));
      urls.set('express', `http://127.0.0.1:${await listen(app)}${path}`);
    }
    const Fastify = WANTED.has('fastify') || WANTED.has('fastify-min') ? await fastifyAdapter(ctx.log) : undefined;
    if (Fastify && WANTED.has('fastify')) {
      const app = await fastifyApi(sys, Fastify);
      apps.push(await withoutFastPath(app));
      urls.set('fastify', `http://127.0.0.1:${await listen(app)}${path}`);
    }
    if (Fastify && WANTED.has('fastify-min')) {
      const app = await fastifyMinimal(Fastify, body);
      apps.push(app);
      urls.set('fastify-min', `http://127.0.0.1:${await listen(app)}${path}`);
    }
    for (const [v, url] of urls) await sameAnswer(v, url, body);
    const measured = await measure(urls, ctx);
    return results(measured, process.env.BENCH_LOAD !== 'node' && hasWrk());
  } finally {
    await new Promise<void>((ok) => (bare ? bare.close(() => ok()) : ok()));
    for (const app of apps.reverse()) await app.close();
    await sys.close();
  }
}

runWhenMain(import.meta.url, run);
