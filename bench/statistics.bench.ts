// GET /statistics over BENCH_RESULTS issued certificates (default 10,000,000), against the 1 s target
// of issue 15, over real HTTP to the real API on a fresh database. The data is generated in SQL with
// generate_series (as the due-list bench does): organizations, 100 communes, BENCH_INSTRUMENTS
// instruments of every catalogue type, then the certificates (3 years, 95 % pass, receipt 1–30 days
// before issue) and one request item per certificate (ten to a request, made 35 days before), with
// the loaded tables' secondary indexes and foreign keys dropped during the load. Measured: the first
// call (it waits for the rollups' refresh), then a quarter and a year, each asked 10 times.
//
//   BENCH_DATABASE_SERVER_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_RESULTS              certificates (default 10000000)
//   BENCH_INSTRUMENTS          instruments (default 200000)
//   BENCH_KEEP_DB=1            keep the database afterwards (its name is printed)
//   BENCH_REUSE_DB=<name>      measure a database a BENCH_KEEP_DB run kept (no load; pending migrations applied)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { systemActor } from '#libs/audit';
import { UserService } from '#libs/auth';
import { loadEnv } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { createApi } from '../apps/api/src/api.js';

const RESULTS = Number(process.env.BENCH_RESULTS ?? 10_000_000);
const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 200_000);
const SERVER = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_MS = 1000;
const log = (line: string): void => console.log(`   [statistics] ${line}`);

async function query(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql, params);
  } finally {
    await c.end();
  }
}

async function timed(what: string, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const ms = Math.round(performance.now() - t0);
  log(`${what}: ${ms} ms (load ${loadavg()[0]!.toFixed(2)})`);
  return ms;
}

/** Organizations, communes and instruments, then the certificates, all in SQL. */
async function load(url: string): Promise<void> {
  await timed('organizations, communes, instruments', () =>
    query(
      url,
      `INSERT INTO organization (name, tax_code, street_address, province)
         SELECT 'Công ty Bench ' || g, lpad(g::text, 10, '0'), g || ' Trần Phú', 'Khánh Hòa' FROM generate_series(1, 2000) g;
       INSERT INTO admin_unit (code, name, kind, level, parent_id, effective_from, source, confidence)
         SELECT lpad((90000 + g)::text, 5, '0'), 'Phường Bench ' || g, 'ward', 'commune',
                (SELECT id FROM admin_unit WHERE level = 'province' ORDER BY code LIMIT 1), '2025-07-01', 'bench data', 'UNCERTAIN'
           FROM generate_series(1, 100) g;
       WITH orgs AS (SELECT array_agg(id) AS ids FROM organization),
            types AS (SELECT array_agg(id ORDER BY code) AS ids FROM instrument_type WHERE active),
            wards AS (SELECT array_agg(id) AS ids FROM admin_unit WHERE source = 'bench data')
       INSERT INTO instrument (owner_id, instrument_type_id, manufacturer, serial_number, district, commune_unit_id, status)
         SELECT orgs.ids[1 + g % 2000], types.ids[1 + g % array_length(types.ids, 1)], 'Tatsuno', 'SN' || g, 'Bench',
                wards.ids[1 + (g / 7) % 100], 'in_service'
           FROM generate_series(1, ${INSTRUMENTS}) g, orgs, types, wards;`,
    ),
  );
  await query(url, `ALTER TABLE certificate DISABLE TRIGGER USER`);
  await withoutSecondaryIndexes(url, ['certificate', 'service_request', 'request_item'], async () => {
    await timed(`${RESULTS.toLocaleString('en')} certificates`, () => query(url, CERTIFICATES_SQL));
    await timed(`${REQUESTS.toLocaleString('en')} requests, ${RESULTS.toLocaleString('en')} request items`, () =>
      query(url, REQUESTS_SQL),
    );
  });
}

/** Certificates per instrument, so that certificate g is of the ⌈g / per⌉-th instrument. */
const PER_INSTRUMENT = Math.ceil(RESULTS / INSTRUMENTS);
/** Certificate g's instrument and its issue date d, spread over three years. */
const NUMBERED = `(SELECT id, owner_id, instrument_type_id, row_number() OVER (ORDER BY id) - 1 AS n FROM instrument) i,
              generate_series(0, ${PER_INSTRUMENT - 1}) k,
              LATERAL (SELECT i.n * ${PER_INSTRUMENT} + k + 1 AS g) gg,
              LATERAL (SELECT (current_date - ((gg.g * 7919) % 1095)::int)::date AS d) x
        WHERE gg.g <= ${RESULTS}`;

const CERTIFICATES_SQL = `
  INSERT INTO certificate (number, kind, year, sequence, result_revision_id, result_id, organization_id, instrument_id,
                           service, outcome, measurement_date, issue_date, item_type_name, item_serial, owner_name,
                           laboratory_name, model, sha256, storage_key, byte_size, signer_fingerprint, issued_at)
  SELECT 'KĐ-B-' || g, 'verification', 2026, g, gen_random_uuid(), gen_random_uuid(), i.owner_id, i.id,
         'verification_periodic', CASE WHEN g % 20 = 0 THEN 'fail' ELSE 'pass' END,
         d, d, 'Cột đo xăng dầu', 'SN' || g, 'Bench', 'TĐC',
         jsonb_build_object('receiptDate', (d - (1 + g % 30)::int)::text),
         md5(g::text) || md5((g + 1)::text), 'bench', 1, 'bench', d::timestamptz
    FROM ${NUMBERED}`;

/** Items per request: request r holds items (r - 1) × 10 + 1 … r × 10. */
const ITEMS_PER_REQUEST = 10;
const REQUESTS = Math.ceil(RESULTS / ITEMS_PER_REQUEST);

/**
 * One request item per certificate (item g is certificate g's instrument), ten to a request, each
 * request made 35 days before its first item's certificate (Viet Nam working hours).
 */
const REQUESTS_SQL = `
  WITH orgs AS (SELECT array_agg(id) AS ids FROM organization)
  INSERT INTO service_request (id, number, organization_id, status, place, item_count, submitted_by_kind,
                               submitted_by_id, created_at)
  SELECT md5('bench-request-' || r)::uuid, 'YC-B-' || r, orgs.ids[1 + r % 2000], 'completed', 'lab',
         ${ITEMS_PER_REQUEST}, 'staff', 'bench',
         (current_date - 35 - ((((r::bigint - 1) * ${ITEMS_PER_REQUEST} + 1) * 7919) % 1095)::int)::timestamp
           AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '9 hours'
    FROM generate_series(1, ${REQUESTS}) r, orgs;
  INSERT INTO request_item (request_id, ordinal, instrument_id, instrument_type_id, service, status, received_at)
  SELECT md5('bench-request-' || ((g - 1) / ${ITEMS_PER_REQUEST} + 1))::uuid, (g - 1) % ${ITEMS_PER_REQUEST} + 1,
         i.id, i.instrument_type_id, 'verification_periodic', 'certificate_issued', d::timestamptz
    FROM ${NUMBERED}`;

/**
 * The tables' secondary indexes (the certificate number's trigram GIN among them) and foreign keys
 * dropped during a load and rebuilt from their own definitions afterwards, as pg_restore does.
 */
async function withoutSecondaryIndexes(url: string, tables: string[], load: () => Promise<void>): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: indexes } = await c.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes i
        WHERE schemaname = 'public' AND tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
      [tables],
    );
    const { rows: keys } = await c.query<{ tab: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS tab, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
      [tables],
    );
    for (const k of keys) await c.query(`ALTER TABLE ${k.tab} DROP CONSTRAINT "${k.name}"`);
    for (const i of indexes) await c.query(`DROP INDEX "${i.name}"`);
    try {
      await load();
    } finally {
      await timed(`rebuilding ${indexes.length} indexes and ${keys.length} foreign keys`, async () => {
        for (const i of indexes) await c.query(i.def);
        for (const k of keys) await c.query(`ALTER TABLE ${k.tab} ADD CONSTRAINT "${k.name}" ${k.def}`);
      });
    }
  } finally {
    await c.end();
  }
}

export default async function run(): Promise<{ metric: string; value: number; unit: string; target?: number }[]> {
  const reuse = process.env.BENCH_REUSE_DB;
  const dbName = reuse ?? `tdc_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (!reuse) await query(SERVER, `CREATE DATABASE ${dbName}`);
  const url = new URL(SERVER);
  url.pathname = `/${dbName}`;
  const env = loadEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: `/tmp/tdc-bench/${dbName}`,
  });
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log: () => undefined,
    queuePrefix: dbName,
    seedCatalogueIfEmpty: true,
  });
  const app = await createApi(env, runtime.dataSource, runtime.backend);
  try {
    if (!reuse) {
      await load(url.toString());
      await timed('ANALYZE', () => query(url.toString(), 'ANALYZE'));
    }
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const password = randomBytes(18).toString('base64url');
    await app
      .get(UserService)
      .create({ username: 'bench.staff', fullName: 'Bench', roles: ['reception'], password }, systemActor('bench'));
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.staff', password }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const year = new Date().getUTCFullYear() - 1;
    const ask = async (from: string, to: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/statistics?from=${from}&to=${to}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { totals: { certificates: number; items: number } };
      if (res.status !== 200) throw new Error(`statistics answered ${res.status}`);
      return { ms: performance.now() - t0, certificates: body.totals.certificates, items: body.totals.items };
    };
    // The process's first call waits for the rollups' refresh (later a stale rollup is refreshed in
    // the background); its time is the refresh's.
    const first = await ask(`${year}-01-01`, `${year}-03-31`);
    log(`first call (refreshes the rollup): ${Math.round(first.ms)} ms`);
    const results = [];
    for (const [name, from, to] of [
      ['quarter', `${year}-07-01`, `${year}-09-30`],
      ['year', `${year}-01-01`, `${year}-12-31`],
    ] as const) {
      const times: number[] = [];
      let certificates = 0;
      let items = 0;
      for (let n = 0; n < 10; n++) ({ ms: times[n], certificates, items } = await ask(from, to));
      times.sort((a, b) => a - b);
      log(
        `${name}: ${certificates} certificates, ${items} items, median ${Math.round(times[5]!)} ms, max ${Math.round(times[9]!)} ms`,
      );
      results.push({
        metric: `GET /statistics, a ${name} (median of 10)`,
        value: Math.round(times[5]!),
        unit: 'ms',
        target: TARGET_MS,
      });
    }
    results.push({ metric: 'first call: rollups refreshed, then answered', value: Math.round(first.ms), unit: 'ms' });
    return results;
  } finally {
    await app.close();
    await runtime.stop();
    if (reuse || process.env.BENCH_KEEP_DB === '1') log(`kept database ${dbName}`);
    else await query(SERVER, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await rm(env.DATA_DIR, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (results) => {
      let missed = 0;
      for (const r of results) {
        const over = r.target !== undefined && r.value > r.target;
        if (over) missed++;
        console.log(
          `   ${r.metric.padEnd(44)} ${String(r.value).padStart(9)} ${r.unit}${r.target ? `  ${over ? '✗' : '✓'} target ${r.target} ${r.unit}` : ''}`,
        );
      }
      process.exit(missed ? 1 : 0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
