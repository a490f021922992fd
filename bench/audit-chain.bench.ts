// npm run bench -- audit-chain: the cost of the audit trail's hash chain on the write path.
// A fresh database on TEST_DATABASE_SERVER_URL (default the local test server), migrated; then audit
// entries appended as the application role (tdc_app) would, one per transaction: sequentially, from
// 8 parallel connections, and 500 in one statement (AuditTrail.record's insertMany of a large
// request). Each measured with the chain trigger and again without it (trigger dropped).
import pg from 'pg';
import { runMigrations } from '#libs/core';
import { dataSourceOptions } from '#libs/platform';

const SERVER = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = 2000;
const PARALLEL = 8;
const INSERT = `INSERT INTO audit_event (actor_kind, entity, entity_id, action, after) VALUES ('system', 'instrument', $1, 'update', $2)`;

async function timed(label: string, work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`  ${label}: ${ms.toFixed(0)} ms`);
  return ms;
}

async function oneByOne(pool: pg.Pool, count: number, connections: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = await pool.connect();
      try {
        while (next < count) {
          const i = next++;
          await c.query('BEGIN');
          await c.query(INSERT, [`i-${i}`, JSON.stringify({ serial: `S${i}`, status: 'active', n: i })]);
          await c.query('COMMIT');
        }
      } finally {
        c.release();
      }
    }),
  );
}

async function bulk(pool: pg.Pool, rows: number): Promise<void> {
  await pool.query(
    `INSERT INTO audit_event (actor_kind, entity, entity_id, action, after)
     SELECT 'system', 'request_item', 'i-' || g, 'update', jsonb_build_object('n', g) FROM generate_series(1, $1) g`,
    [rows],
  );
}

async function measure(pool: pg.Pool): Promise<number[]> {
  return [
    await timed(`${N} entries, one transaction each, sequential`, () => oneByOne(pool, N, 1)),
    await timed(`${N} entries, one transaction each, ${PARALLEL} connections`, () => oneByOne(pool, N, PARALLEL)),
    await timed('500 entries in one statement, x10', async () => {
      for (let i = 0; i < 10; i++) await bulk(pool, 500);
    }),
  ];
}

async function main(): Promise<void> {
  const name = `tdc_bench_audit_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: PARALLEL });
  pool.on('error', () => undefined); // idle clients ended by DROP DATABASE … WITH (FORCE)
  try {
    await runMigrations(dataSourceOptions(url.toString(), false));
    await oneByOne(pool, 500, PARALLEL); // warm-up: connections, caches, plans
    console.log('with the hash chain (advisory lock + sha256 per entry):');
    const chained = await measure(pool);
    await pool.query('DROP TRIGGER audit_event_chain ON audit_event');
    await pool.query('ALTER TABLE audit_event ALTER prev_hash DROP NOT NULL, ALTER hash DROP NOT NULL');
    await pool.query('ALTER TABLE audit_event DROP CONSTRAINT "UQ_audit_event_prev_hash"');
    console.log('without it:');
    const plain = await measure(pool);
    console.log(`ratio chained/plain: ${chained.map((c, i) => (c / plain[i]!).toFixed(2)).join(', ')}`);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
