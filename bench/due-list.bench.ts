// Benchmark of the recall list, GET /instruments/due, on 1,000,000 instruments (see bench/README.md).
// Creates a fresh database on the PostgreSQL server, applies the migrations and the catalogue seed,
// loads organizations and instruments with INSERT … SELECT generate_series, boots the real API on a
// loopback port, logs in as a reception user and measures the endpoint over HTTP.
//
//   BENCH_DATABASE_SERVER_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_INSTRUMENTS          how many instruments (default 1000000)
//   BENCH_REQUESTS             measured requests, sequential phase (default 1000)
//   BENCH_REDIS_URL            Redis for the queues (default redis://127.0.0.1:6379; the API only produces jobs,
//                              but BullMQ's PostgreSQL backend polls, which on a 2-CPU machine costs the API latency)
//   BENCH_KEEP_DB=1            keep the database afterwards (its name is printed)
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { systemActor } from '#libs/audit';
import { UserService } from '#libs/auth';
import { ALL_QUEUES, JobQueue, loadEnv } from '#libs/core';
import { ensureDevSigningIdentity } from '#libs/documents';
import { prepareRuntime } from '#libs/platform';
import { createApi } from '../apps/api/src/api.js';

const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const ORGANIZATIONS = 20_000;
const DISTRICTS = 40;
/** Bench communes of Khánh Hòa (made up for the bench database, named "Phường Bench n"). */
const COMMUNES = 40;
const WARM_UP = 100;
const CONCURRENT_CLIENTS = 4;

const log = (line: string): void => console.log(`[due-list] ${line}`);

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

/**
 * Organizations spread over COMMUNES communes of Khánh Hòa (and, as history, DISTRICTS old districts); instruments owned with a skew (a few owners with
 * thousands, like a fuel retailer), of every active catalogue type, 85 % used in the owner's commune,
 * 94 % in service, 95 % of verifications passed, last verification within the past three years, so
 * that a realistic share is overdue. The due-list indexes are dropped during the load and rebuilt
 * from their own definitions afterwards (as pg_restore does): much faster than maintaining them row by row.
 */
async function load(c: pg.Client): Promise<void> {
  await c.query('SELECT setseed(0.4242)');
  await c.query(
    `INSERT INTO admin_unit (code, name, level, kind, parent_id, effective_from, confidence, source)
     SELECT lpad((90000 + g)::text, 5, '0'), 'Phường Bench ' || g, 'commune', 'ward', p.id, '2025-07-01', 'UNCERTAIN', 'bench data'
       FROM generate_series(0, $1::int - 1) g,
            (SELECT id FROM admin_unit WHERE level = 'province' AND name = 'Khánh Hòa' AND effective_to IS NULL) p`,
    [COMMUNES],
  );
  await timed(`${ORGANIZATIONS} organizations`, () =>
    c.query(
      `WITH wards AS (SELECT array_agg(id ORDER BY code) AS ids, min(parent_id::text)::uuid AS province
                        FROM admin_unit WHERE source = 'bench data')
       INSERT INTO organization (name, tax_code, street_address, province, district, province_unit_id, commune_unit_id)
       SELECT 'Công ty Bench ' || g, lpad(g::text, 10, '0'), g || ' Đường Trần Phú', 'Khánh Hòa', 'Huyện ' || (g % $2),
              wards.province, wards.ids[1 + (g % $3)]
         FROM generate_series(1, $1::int) g, wards`,
      [ORGANIZATIONS, DISTRICTS, COMMUNES],
    ),
  );
  const { rows: indexes } = await c.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'instrument' AND indexname NOT LIKE 'PK_%'`,
  );
  for (const i of indexes) await c.query(`DROP INDEX "${i.indexname}"`);
  await timed(`${INSTRUMENTS.toLocaleString('en')} instruments`, () =>
    c.query(
      `WITH orgs AS (SELECT array_agg(id ORDER BY tax_code) AS ids FROM organization WHERE name LIKE 'Công ty Bench %'),
            types AS (SELECT array_agg(id ORDER BY code) AS ids FROM instrument_type WHERE active),
            wards AS (SELECT array_agg(id ORDER BY code) AS ids, min(parent_id::text)::uuid AS province
                        FROM admin_unit WHERE source = 'bench data'),
            base AS (
              SELECT g, random() AS r_owner, random() AS r_type, random() AS r_district, random() AS r_status,
                     random() AS r_date, random() AS r_pass, random() AS r_verified, random() AS r_other
                FROM generate_series(1, $1::int) g)
       INSERT INTO instrument (owner_id, instrument_type_id, manufacturer, model, serial_number, accuracy_class,
                               site_name, place_district, district, place_province_unit_id, place_commune_unit_id,
                               province_unit_id, commune_unit_id, status,
                               last_service, last_service_date, last_result, last_certificate_number,
                               last_verification_date, last_verification_passed, next_due_date)
       SELECT x.owner_id, x.type_id, x.manufacturer, 'M-' || (x.g % 97), 'SN' || lpad(x.g::text, 8, '0'), '0.5',
              CASE WHEN x.r_district < 0.15 THEN 'Điểm ' || x.g END,
              CASE WHEN x.r_district < 0.15 THEN 'Huyện ' || floor(x.r_other * $2::int)::int END,
              CASE WHEN x.r_district < 0.15 THEN 'Huyện ' || floor(x.r_other * $2::int)::int ELSE 'Huyện ' || ((x.owner_idx + 1) % $2::int) END,
              CASE WHEN x.r_district < 0.15 THEN x.province END,
              CASE WHEN x.r_district < 0.15 THEN x.wards[1 + floor(x.r_other * $4::int)::int] END,
              x.province,
              CASE WHEN x.r_district < 0.15 THEN x.wards[1 + floor(x.r_other * $4::int)::int] ELSE x.wards[1 + ((x.owner_idx + 1) % $4::int)] END,
              CASE WHEN x.r_status < 0.94 THEN 'in_service' WHEN x.r_status < 0.98 THEN 'out_of_service' ELSE 'scrapped' END,
              CASE WHEN x.verified THEN 'verification_periodic' END, x.lvd,
              CASE WHEN x.verified THEN CASE WHEN x.passed THEN 'pass' ELSE 'fail' END END,
              CASE WHEN x.verified THEN 'KĐ-' || x.g END,
              x.lvd, CASE WHEN x.verified THEN x.passed END,
              CASE WHEN x.verified AND x.passed THEN (
                SELECT (x.lvd + cy.cycle_months * interval '1 month')::date FROM instrument_type_cycle cy
                 WHERE cy.instrument_type_id = x.type_id AND cy.effective_from <= x.lvd ORDER BY cy.effective_from DESC LIMIT 1) END
         FROM (
           SELECT b.*, o_idx AS owner_idx, orgs.ids[o_idx + 1] AS owner_id,
                  types.ids[1 + floor(b.r_type * array_length(types.ids, 1))::int] AS type_id,
                  (ARRAY['Tatsuno', 'Tokico', 'Gilbarco', 'Itron', 'Elster', 'Omron', 'Mettler Toledo', 'Centrodyne'])[1 + (b.g % 8)] AS manufacturer,
                  b.r_verified < 0.95 AS verified, b.r_pass < 0.95 AS passed,
                  CASE WHEN b.r_verified < 0.95 THEN current_date - floor(b.r_date * 1100)::int END AS lvd,
                  wards.ids AS wards, wards.province
             FROM base b, orgs, types, wards, LATERAL (SELECT floor(power(b.r_owner, 2) * $3::int)::int AS o_idx) o) x`,
      [INSTRUMENTS, DISTRICTS, ORGANIZATIONS, COMMUNES],
    ),
  );
  await timed(`rebuilding ${indexes.length} indexes`, async () => {
    for (const i of indexes) await c.query(i.indexdef);
  });
  await timed('ANALYZE', () => c.query('ANALYZE'));
}

interface Sample {
  scenario: string;
  ms: number;
  items: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

function stats(samples: Sample[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanItems: number;
} {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    n: ms.length,
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    p99: round(percentile(ms, 99)),
    max: round(ms[ms.length - 1] ?? NaN),
    meanItems: Math.round(samples.reduce((a, s) => a + s.items, 0) / Math.max(1, samples.length)),
  };
}

/** A deterministic pseudo-random sequence, so that two runs send the same requests. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function main(): Promise<void> {
  const name = `tdc_bench_${Date.now().toString(36)}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  await withClient(SERVER_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  log(`database ${name}`);
  let runtime: Awaited<ReturnType<typeof prepareRuntime>> | undefined;
  let app: Awaited<ReturnType<typeof createApi>> | undefined;
  try {
    // Production settings, as a centre runs it: production requires a signing identity and the
    // laboratory's public details, so the bench makes a throw-away identity in its data directory.
    const dataDir = join(tmpdir(), name);
    const signing = ensureDevSigningIdentity(dataDir, 'TĐC LIMS benchmark');
    const env = loadEnv({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SIGNING_P12_PATH: signing.p12Path,
      SIGNING_P12_PASSPHRASE: signing.passphrase,
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      LABORATORY_ADDRESS: 'Benchmark laboratory',
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    runtime = await prepareRuntime(env, { allowEmbedded: false, log, seedCatalogueIfEmpty: true, queuePrefix: name });
    const t0 = performance.now();
    await withClient(dbUrl, load);
    const loadSeconds = (performance.now() - t0) / 1000;
    const facts = await withClient(dbUrl, async (c) => {
      const { rows } = await c.query<{ total: string; listable: string; overdue: string; within30: string }>(
        `SELECT count(*) AS total,
                count(*) FILTER (WHERE status = 'in_service' AND next_due_date IS NOT NULL) AS listable,
                count(*) FILTER (WHERE status = 'in_service' AND next_due_date < current_date) AS overdue,
                count(*) FILTER (WHERE status = 'in_service' AND next_due_date <= current_date + 30) AS within30
           FROM instrument`,
      );
      const types = (
        await c.query<{ id: string }>(`SELECT id FROM instrument_type WHERE active ORDER BY code`)
      ).rows.map((r) => r.id);
      const owners = (await c.query<{ id: string }>(`SELECT id FROM organization ORDER BY tax_code`)).rows.map(
        (r) => r.id,
      );
      const communes = (
        await c.query<{ id: string }>(`SELECT id FROM admin_unit WHERE source = 'bench data' ORDER BY code`)
      ).rows.map((r) => r.id);
      const province = (
        await c.query<{ id: string }>(
          `SELECT id FROM admin_unit WHERE level = 'province' AND name = 'Khánh Hòa' AND effective_to IS NULL`,
        )
      ).rows[0]!.id;
      return { counts: rows[0]!, types, owners, communes, province };
    });
    log(
      `instruments: ${Number(facts.counts.total).toLocaleString('en')} (in service with a due date ${Number(facts.counts.listable).toLocaleString('en')}, ` +
        `overdue ${Number(facts.counts.overdue).toLocaleString('en')}, due within 30 days incl. overdue ${Number(facts.counts.within30).toLocaleString('en')})`,
    );

    app = await createApi(env, runtime.dataSource, runtime.backend);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const password = 'bench-password-1234567';
    await app
      .get(UserService)
      .create(
        { username: 'bench.reception', fullName: 'Bench reception', roles: ['reception'], password },
        systemActor('bench set-up'),
      );
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.reception', password }),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;

    const random = rng(20251123);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const windows = [0, 7, 14, 30, 30, 30, 60, 90];
    // What the centre's staff ask for, one morning: the whole list, or one type, one customer, one commune, or a mix; then the next pages.
    const scenarios: Record<string, () => string> = {
      all: () => `within=${pick(windows)}`,
      type: () => `within=${pick(windows)}&type=${pick(facts.types)}`,
      owner: () => `within=${pick(windows)}&owner=${pick(facts.owners.slice(0, 2000))}`,
      commune: () => `within=${pick(windows)}&commune=${pick(facts.communes)}`,
      type_commune: () => `within=${pick(windows)}&type=${pick(facts.types)}&commune=${pick(facts.communes)}`,
      province: () => `within=${pick(windows)}&province=${facts.province}`,
      big_page: () => `within=${pick(windows)}&limit=200`,
    };
    const names = Object.keys(scenarios);

    async function get(query: string): Promise<{ ms: number; items: number; nextCursor: string | null }> {
      const t = performance.now();
      const res = await fetch(`${base}/instruments/due?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      const ms = performance.now() - t;
      if (res.status !== 200)
        throw new Error(`GET /instruments/due?${query} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms, items: body.items.length, nextCursor: body.nextCursor };
    }

    /** One staff session: a scenario, its first page, then 0–4 further pages by cursor. */
    async function session(samples: Sample[], budget: { left: number }): Promise<void> {
      const scenario = pick(names);
      const query = scenarios[scenario]!();
      let r = await get(query);
      samples.push({ scenario, ms: r.ms, items: r.items });
      budget.left--;
      const more = Math.floor(random() * 5);
      for (let p = 0; p < more && r.nextCursor && budget.left > 0; p++) {
        r = await get(`${query}&cursor=${encodeURIComponent(r.nextCursor)}`);
        samples.push({ scenario: 'next_page', ms: r.ms, items: r.items });
        budget.left--;
      }
    }

    const loadBefore = loadavg()[0]!;
    const warm: Sample[] = [];
    for (const budget = { left: WARM_UP }; budget.left > 0;) await session(warm, budget);
    const sequential: Sample[] = [];
    for (const budget = { left: REQUESTS }; budget.left > 0;) await session(sequential, budget);
    const concurrent: Sample[] = [];
    const shared = { left: REQUESTS };
    await Promise.all(
      Array.from({ length: CONCURRENT_CLIENTS }, async () => {
        while (shared.left > 0) await session(concurrent, shared);
      }),
    );

    const plans = await withClient(dbUrl, async (c) => {
      const today = (await c.query<{ d: string }>(`SELECT current_date::text AS d`)).rows[0]!.d;
      // A type and an owner that do have instruments on the list (some catalogue types have no cycle, hence no due dates).
      const sample = (
        await c.query<{ type: string; owner: string }>(
          `SELECT instrument_type_id AS type, owner_id AS owner FROM instrument WHERE status = 'in_service' AND next_due_date IS NOT NULL ORDER BY next_due_date, id LIMIT 1`,
        )
      ).rows[0]!;
      const explain = async (label: string, where: string, params: unknown[]): Promise<string> => {
        const { rows } = await c.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM instrument i
            WHERE i.status = 'in_service' AND i.next_due_date IS NOT NULL AND i.next_due_date <= ($1::date + 30) ${where}
            ORDER BY i.next_due_date, i.id LIMIT 51`,
          [today, ...params],
        );
        return `-- ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`;
      };
      return [
        await explain('no filter', '', []),
        await explain('type', 'AND i.instrument_type_id = $2', [sample.type]),
        await explain('owner', 'AND i.owner_id = $2', [sample.owner]),
        await explain('commune', 'AND i.commune_unit_id = $2', [facts.communes[5]]),
        await explain('type + commune', 'AND i.instrument_type_id = $2 AND i.commune_unit_id = $3', [
          sample.type,
          facts.communes[5],
        ]),
        await explain('province', 'AND i.province_unit_id = $2', [facts.province]),
      ];
    });
    for (const p of plans) console.log(p);

    const byScenario = Object.fromEntries(
      [...names, 'next_page'].map((s) => [s, stats(sequential.filter((x) => x.scenario === s))]),
    );
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        loadAverage1m: { beforeRequests: Math.round(loadBefore * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 },
        node: process.version,
      },
      postgres: await withClient(
        dbUrl,
        async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v,
      ),
      instruments: Number(facts.counts.total),
      loadSeconds: Math.round(loadSeconds),
      counts: facts.counts,
      sequential: stats(sequential),
      concurrent: { clients: CONCURRENT_CLIENTS, ...stats(concurrent) },
      byScenario,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    const file = join('bench/results', `due-list-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...result, plans }, null, 2));
    log(
      `sequential ${result.sequential.n} requests: p50 ${result.sequential.p50} ms, p95 ${result.sequential.p95} ms, p99 ${result.sequential.p99} ms`,
    );
    log(
      `${CONCURRENT_CLIENTS} clients ${result.concurrent.n} requests: p50 ${result.concurrent.p50} ms, p95 ${result.concurrent.p95} ms, p99 ${result.concurrent.p99} ms`,
    );
    log(`written to ${file}`);
  } finally {
    if (app) {
      const jobs = app.get(JobQueue);
      for (const q of ALL_QUEUES)
        await jobs
          .queue(q)
          .obliterate({ force: true })
          .catch(() => undefined);
    }
    await app?.close();
    await runtime?.stop();
    if (process.env.BENCH_KEEP_DB) log(`kept database ${name}`);
    else await withClient(SERVER_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`due-list bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
