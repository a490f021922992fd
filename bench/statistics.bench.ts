// GET /statistics over BENCH_RESULTS issued certificates (default 10,000,000), against the 1 s target
// of issue 15, over real HTTP to the real API on a fresh database. The data is generated in SQL with
// generate_series (as the due-list bench does): organizations, 100 communes, BENCH_INSTRUMENTS
// instruments of every catalogue type, then the certificates (3 years, 95 % pass, receipt 1–30 days
// before issue), with the certificate table's secondary indexes dropped during the load. Measured:
// the rollup refresh, then a quarter and a year, each asked 10 times (the rollup already fresh).
//
//   BENCH_DATABASE_SERVER_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_RESULTS              certificates (default 10000000)
//   BENCH_INSTRUMENTS          instruments (default 200000)
//   BENCH_KEEP_DB=1            keep the database afterwards (its name is printed)
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
  // The certificate's secondary indexes (the number's trigram GIN among them) are dropped during the
  // load and rebuilt from their own definitions afterwards, as pg_restore does.
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows: indexes } = await c.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'certificate' AND indexname NOT LIKE 'PK_%'`,
  );
  for (const i of indexes) await c.query(`DROP INDEX "${i.indexname}"`);
  await c.end();
  await timed(`${RESULTS.toLocaleString('en')} certificates`, () =>
    query(
      url,
      `INSERT INTO certificate (number, kind, year, sequence, result_revision_id, result_id, organization_id, instrument_id,
                                service, outcome, measurement_date, issue_date, item_type_name, item_serial, owner_name,
                                laboratory_name, model, sha256, storage_key, byte_size, signer_fingerprint, issued_at)
       SELECT 'KĐ-B-' || g, 'verification', 2026, g, gen_random_uuid(), gen_random_uuid(), i.owner_id, i.id,
              'verification_periodic', CASE WHEN g % 20 = 0 THEN 'fail' ELSE 'pass' END,
              d, d, 'Cột đo xăng dầu', 'SN' || g, 'Bench', 'TĐC',
              jsonb_build_object('receiptDate', (d - (1 + g % 30)::int)::text),
              md5(g::text) || md5((g + 1)::text), 'bench', 1, 'bench', d::timestamptz
         FROM (SELECT id, owner_id, row_number() OVER (ORDER BY id) - 1 AS n FROM instrument) i,
              generate_series(0, ${Math.ceil(RESULTS / INSTRUMENTS) - 1}) k,
              LATERAL (SELECT i.n * ${Math.ceil(RESULTS / INSTRUMENTS)} + k + 1 AS g) gg,
              LATERAL (SELECT (current_date - ((gg.g * 7919) % 1095)::int)::date AS d) x
        WHERE gg.g <= ${RESULTS}`,
    ),
  );
  await timed(`rebuilding ${indexes.length} certificate indexes`, async () => {
    for (const i of indexes) await query(url, i.indexdef);
  });
}

export default async function run(): Promise<{ metric: string; value: number; unit: string; target?: number }[]> {
  const dbName = `tdc_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await query(SERVER, `CREATE DATABASE ${dbName}`);
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
    await load(url.toString());
    await query(url.toString(), 'ANALYZE');
    const refresh = await timed('rollup refresh', () => query(url.toString(), 'SELECT reporting_refresh_rollup()'));
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
      const body = (await res.json()) as { totals: { certificates: number } };
      if (res.status !== 200) throw new Error(`statistics answered ${res.status}`);
      return { ms: performance.now() - t0, certificates: body.totals.certificates };
    };
    await ask(`${year}-01-01`, `${year}-03-31`); // the first call refreshes the rollup (it is 5 min fresh after)
    const results = [];
    for (const [name, from, to] of [
      ['quarter', `${year}-07-01`, `${year}-09-30`],
      ['year', `${year}-01-01`, `${year}-12-31`],
    ] as const) {
      const times: number[] = [];
      let certificates = 0;
      for (let n = 0; n < 10; n++) ({ ms: times[n], certificates } = await ask(from, to));
      times.sort((a, b) => a - b);
      log(`${name}: ${certificates} certificates, median ${Math.round(times[5]!)} ms, max ${Math.round(times[9]!)} ms`);
      results.push({
        metric: `GET /statistics, a ${name} (median of 10)`,
        value: Math.round(times[5]!),
        unit: 'ms',
        target: TARGET_MS,
      });
    }
    results.push({ metric: 'rollup refresh', value: refresh, unit: 'ms' });
    return results;
  } finally {
    await app.close();
    await runtime.stop();
    if (process.env.BENCH_KEEP_DB === '1') log(`kept database ${dbName}`);
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
