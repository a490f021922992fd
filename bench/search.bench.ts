// Benchmark of the staff search, GET /search?q=, on 1,000,000 instruments (see bench/README.md).
// Creates a fresh database, applies the migrations and the catalogue seed, loads organizations,
// instruments (a third with a centre's label code) and service requests with INSERT … SELECT
// generate_series, boots the real API on a loopback port and measures typical queries over HTTP,
// one at a time, staff-authenticated.
//
//   BENCH_DATABASE_SERVER_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_INSTRUMENTS          how many instruments (default 1000000)
//   BENCH_REQUESTS             measured searches per scenario (default 200)
//   BENCH_REDIS_URL            Redis for the queues (default redis://127.0.0.1:6379)
//   BENCH_KEEP_DB=1            keep the database afterwards (its name is printed)
import { systemActor } from '#libs/audit';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { UserService } from '#libs/auth';
import { ALL_QUEUES, JobQueue, loadEnv, vietnamYear } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { createApi } from '../apps/api/src/api.js';

const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 1_000_000);
const PER_SCENARIO = Number(process.env.BENCH_REQUESTS ?? 200);
const ORGANIZATIONS = Math.max(100, Math.round(INSTRUMENTS / 50));
const REQUESTS = Math.max(100, Math.round(INSTRUMENTS / 10));
const YEAR = vietnamYear(new Date());

const log = (line: string): void => console.log(`[search] ${line}`);

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

/** Organizations with Vietnamese names; instruments spread over them; requests numbered as the API would. */
async function load(c: pg.Client): Promise<void> {
  await timed(`${ORGANIZATIONS.toLocaleString('en')} organizations`, () =>
    c.query(
      `INSERT INTO organization (name, tax_code, street_address, province, district)
       SELECT (ARRAY['Công ty TNHH Xăng dầu ', 'Công ty Điện lực ', 'Cửa hàng Đồng hồ ', 'Bệnh viện Đa khoa '])[1 + g % 4] || g,
              lpad(g::text, 10, '0'), g || ' Đường Trần Phú', 'Khánh Hòa', 'Huyện ' || (g % 40)
         FROM generate_series(1, $1::int) g`,
      [ORGANIZATIONS],
    ),
  );
  await timed(`${INSTRUMENTS.toLocaleString('en')} instruments`, () =>
    c.query(
      `WITH orgs AS (SELECT array_agg(id ORDER BY tax_code) AS ids FROM organization),
            types AS (SELECT array_agg(id ORDER BY code) AS ids FROM instrument_type WHERE active)
       INSERT INTO instrument (owner_id, instrument_type_id, manufacturer, model, serial_number, label_code, district)
       SELECT orgs.ids[1 + g % array_length(orgs.ids, 1)], types.ids[1 + g % array_length(types.ids, 1)],
              (ARRAY['Tatsuno', 'Tokico', 'Gilbarco', 'Itron'])[1 + g % 4], 'M-' || (g % 97),
              (ARRAY['SN', 'TS-', 'ĐH', 'A'])[1 + g % 4] || lpad(g::text, 8, '0'),
              CASE WHEN g % 3 = 0 THEN 'TĐC-' || lpad(g::text, 7, '0') END, 'Huyện 1'
         FROM generate_series(1, $1::int) g, orgs, types`,
      [INSTRUMENTS],
    ),
  );
  await timed(`${REQUESTS.toLocaleString('en')} requests`, () =>
    c.query(
      `WITH orgs AS (SELECT array_agg(id ORDER BY tax_code) AS ids FROM organization)
       INSERT INTO service_request (number, organization_id, place, item_count, submitted_by_kind, submitted_by_id)
       SELECT 'YC-' || $2::int || '-' || lpad(g::text, 6, '0'), orgs.ids[1 + g % array_length(orgs.ids, 1)],
              'lab', 1, 'staff', 'bench'
         FROM generate_series(1, $1::int) g, orgs`,
      [REQUESTS, YEAR],
    ),
  );
  await timed('ANALYZE', () => c.query('ANALYZE'));
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** What reception types: numbers as read over the phone, serials and label codes, names without diacritics. */
function scenarios(n: () => number): Record<string, () => string> {
  const pad = (x: number, w: number) => String(x).padStart(w, '0');
  return {
    serial_exact: () => `sn${pad(4 * n(), 8)}`,
    serial_prefix: () => `dh${pad(4 * n() + 2, 8).slice(0, 6)}`,
    label_code: () => `tdc-${pad(3 * n(), 7)}`,
    request_number: () => `yc-${YEAR}-${(n() % REQUESTS) + 1}`,
    certificate_number: () => `KD-${YEAR}-${(n() % 1000) + 1}`,
    organization_name: () => `dien luc ${4 * (n() % (ORGANIZATIONS / 4)) + 1}`,
    tax_code_prefix: () => pad(n() % ORGANIZATIONS, 10).slice(0, 7),
    misspelt_name: () => `xang dau ${n() % ORGANIZATIONS}x`,
  };
}

async function main(): Promise<void> {
  const name = `tdc_bench_${Date.now().toString(36)}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  await withClient(SERVER_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  log(`database ${name}, ${INSTRUMENTS.toLocaleString('en')} instruments`);
  const env = loadEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl,
    DATA_DIR: join(tmpdir(), name),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log,
    seedCatalogueIfEmpty: true,
    queuePrefix: name,
  });
  const app = await createApi(env, runtime.dataSource, runtime.backend);
  try {
    await withClient(dbUrl, load);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const password = randomBytes(18).toString('base64url');
    await app
      .get(UserService)
      .create(
        { username: 'bench.reception', fullName: 'Bench', roles: ['reception'], password },
        systemActor('bench set-up'),
      );
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.reception', password }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    let seed = 20261201;
    const n = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return Math.floor((seed / 2 ** 32) * (INSTRUMENTS / 4));
    };
    const get = async (q: string): Promise<{ ms: number; hits: number }> => {
      const t = performance.now();
      const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { items: unknown[] };
      if (res.status !== 200) throw new Error(`GET /search?q=${q} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, hits: body.items.length };
    };
    const all: number[] = [];
    for (const [scenario, query] of Object.entries(scenarios(n))) {
      for (let i = 0; i < 20; i++) await get(query());
      const ms: number[] = [];
      let hits = 0;
      for (let i = 0; i < PER_SCENARIO; i++) {
        const r = await get(query());
        ms.push(r.ms);
        hits += r.hits;
      }
      ms.sort((a, b) => a - b);
      all.push(...ms);
      log(
        `${scenario.padEnd(20)} p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, ` +
          `max ${ms[ms.length - 1]!.toFixed(1)} ms, mean hits ${(hits / PER_SCENARIO).toFixed(1)}`,
      );
    }
    all.sort((a, b) => a - b);
    log(
      `all ${all.length} searches: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms (target < 50)`,
    );
    log(
      `load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    const jobs = app.get(JobQueue);
    for (const q of ALL_QUEUES)
      await jobs
        .queue(q)
        .obliterate({ force: true })
        .catch(() => undefined);
    await app.close();
    await runtime.stop();
    if (process.env.BENCH_KEEP_DB !== '1')
      await withClient(SERVER_URL, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
    else log(`kept database ${name}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
