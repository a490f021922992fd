// Public certificate lookup: requests per second on GET /public/certificates/{number} (the real API:
// the lookup fast path with its rate limiter and one-second cache, the database) against a bare node:http server answering the same
// JSON from memory, in the same run, in alternating rounds; and the latency at a fixed 500 req/s.
// Aims (issue 6): ratio ≥ 0.5; p99 < 20 ms at 500 req/s.
//
//   npm run bench -- public-lookup     BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CONNECTIONS=32
// Load from wrk when installed (throughput; BENCH_LOAD=node forces the fallback), else a Node
// generator in a worker thread; the fixed rate always from the Node generator (wrk cannot hold a
// rate), three runs each alternating with the bare server: the median p99 is reported, the machine
// being shared (one scheduling stall of another process's making can decide a single run's p99).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApi } from '../apps/api/src/api.js';
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

export default async function run(ctx: Ctx): Promise<BenchResult[]> {
  const sys: BenchSystem = await benchSystem();
  let app: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  let bare: Server | undefined;
  try {
    app = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    // A registry with some certificates in it, through the whole chain; the one looked up is in the middle.
    const factory = await ApprovalFactory.create(app);
    worker = await createWorker(sys.env, sys.runtime.dataSource, sys.runtime.backend);
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
    await worker.close();
    worker = undefined;
    const number = numbers[Math.floor(CERTIFICATES / 2)]!;
    const path = `/public/certificates/${encodeURIComponent(number)}`;
    const apiPort = await listen(app);
    const apiUrl = `http://127.0.0.1:${apiPort}${path}`;
    const answer = await fetch(apiUrl);
    const body = await answer.text();
    if (answer.status !== 200 || !body.includes('"status":"valid"'))
      throw new Error(`lookup answered ${answer.status} ${body}`);
    const bytes = Buffer.from(body);
    bare = createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
      res.end(bytes);
    });
    const bareUrl = `http://127.0.0.1:${await listen(bare)}${path}`;

    const wrk = process.env.BENCH_LOAD !== 'node' && hasWrk();
    const load = (url: string): Promise<LoadResult> =>
      wrk
        ? Promise.resolve(wrkLoad(url, { connections: CONNECTIONS, seconds: SECONDS }))
        : nodeLoad(url, { connections: CONNECTIONS, seconds: SECONDS });
    ctx.log(
      `load from ${wrk ? 'wrk' : 'a Node generator (wrk not installed, or BENCH_LOAD=node)'}, ${CONNECTIONS} connections, ${SECONDS} s per run; queues on ${sys.queue}`,
    );
    await load(apiUrl); // warm-up: JIT, connection pools, PostgreSQL's plan cache
    await load(bareUrl);

    const apiRuns: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const which of r % 2 ? (['bare', 'api'] as const) : (['api', 'bare'] as const)) {
        const result = await load(which === 'api' ? apiUrl : bareUrl);
        if (result.errors > 0) throw new Error(`${which}: ${result.errors} failed requests`);
        (which === 'api' ? apiRuns : bareRuns).push(result);
      }
      ctx.log(
        `round ${r + 1}: API ${round(apiRuns[r]!.perSecond, 0)} req/s (p99 ${round(apiRuns[r]!.p99, 1)} ms), bare node:http ${round(bareRuns[r]!.perSecond, 0)} req/s`,
      );
    }
    // The bare server at the same rate shows what this machine (and the generator's timers) add by themselves.
    const fixed: LoadResult[] = [];
    const fixedBare: LoadResult[] = [];
    for (let r = 0; r < 3; r++) {
      fixed.push(await nodeLoad(apiUrl, { connections: 64, seconds: SECONDS, rate: RATE }));
      fixedBare.push(await nodeLoad(bareUrl, { connections: 64, seconds: SECONDS, rate: RATE }));
      if (fixed[r]!.errors > 0) throw new Error(`${fixed[r]!.errors} failed requests at ${RATE} req/s`);
      ctx.log(
        `at ${RATE} req/s for ${SECONDS} s: API p50 ${round(fixed[r]!.p50, 2)} ms, p99 ${round(fixed[r]!.p99, 2)} ms; bare node:http p50 ${round(fixedBare[r]!.p50, 2)} ms, p99 ${round(fixedBare[r]!.p99, 2)} ms`,
      );
    }
    const p50 = median(fixed.map((f) => f.p50));
    const p99 = median(fixed.map((f) => f.p99));
    const p99Bare = median(fixedBare.map((f) => f.p99));

    const ratio = median(apiRuns.map((a, i) => a.perSecond / bareRuns[i]!.perSecond));
    const note = `${wrk ? 'wrk' : 'node'} ${CONNECTIONS} connections × ${SECONDS} s, ${ROUNDS} rounds; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`;
    return [
      {
        metric: 'GET /public/certificates/{number}, API (req/s)',
        value: round(median(apiRuns.map((a) => a.perSecond)), 0),
        unit: 'req/s',
      },
      {
        metric: 'same JSON from memory, bare node:http (req/s)',
        value: round(median(bareRuns.map((b) => b.perSecond)), 0),
        unit: 'req/s',
      },
      {
        metric: 'API / bare node:http (median of the rounds)',
        value: round(ratio),
        unit: '×',
        target: 0.5,
        better: 'higher',
        note,
      },
      { metric: `p50 at ${RATE} req/s`, value: round(p50, 2), unit: 'ms' },
      {
        metric: `p99 at ${RATE} req/s`,
        value: round(p99, 2),
        unit: 'ms',
        target: 20,
        note: `median of 3 runs (${fixed.map((f) => round(f.p99, 1)).join(', ')}); open loop, from when each request was due`,
      },
      {
        metric: `p99 at ${RATE} req/s, bare node:http (the machine's floor)`,
        value: round(p99Bare, 2),
        unit: 'ms',
      },
    ];
  } finally {
    await new Promise<void>((ok) => (bare ? bare.close(() => ok()) : ok()));
    await worker?.close();
    await app?.close();
    await sys.close();
  }
}

runWhenMain(import.meta.url, run);
