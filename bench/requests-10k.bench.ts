// POST /requests with 10,000 items in one transaction, against the 5 s target of issue 4, over real
// HTTP to the real API on a fresh PostgreSQL database (the shipped catalogue seeded, a business key).
// Also: the same with 10,000 registered instruments, reading the request back, and accepting it
// (contract review and 10,000 item transitions with their history, audit entries and webhooks).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { systemActor } from '#libs/audit';
import { ApiKeyService, AuthorisationService, staffPrincipal, UserService } from '#libs/auth';
import { loadEnv } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { addDays, OrganizationService, StandardService, todayInVietnam } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import { createApi } from '../apps/api/src/api.js';
import { profileCpu } from './support/cpu-profile.js';
import { countSql } from './support/sql-count.js';

export const name = 'requests-10k';

const ITEMS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS = 5000;
/** Who the audit trail names for the bench's set-up records. */
const SETUP = systemActor('bench set-up');
const SERVER = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Result {
  metric: string;
  value: number;
  unit: string;
  target?: number;
  note?: string;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function run({ log }: { log: (line: string) => void }): Promise<Result[]> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `tdc_bench_${suffix}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = new URL(SERVER);
  url.pathname = `/${dbName}`;
  const env = loadEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: `/tmp/tdc-bench/${dbName}`,
    // The webhook endpoint the bench registers (nothing listens: deliveries just fail) is on loopback,
    // which the egress policy refuses unless allowed, as a centre allows an internal receiver.
    EGRESS_ALLOW: '127.0.0.1',
  });
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log: () => undefined,
    queuePrefix: `tdc_bench_${suffix}`,
    seedCatalogueIfEmpty: true,
  });
  const app = await createApi(env, runtime.dataSource, runtime.backend);
  const results: Result[] = [];
  try {
    await app.listen(0, '127.0.0.1');
    // fetch keeps its connection between POSTs; writing a CPU profile between them can outlast Node's
    // 5 s keep-alive, and the next POST then meets a closed socket (ECONNRESET).
    (app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const db = app.get(DataSource);
    const [{ id: typeId }] = (await db.query(`SELECT id FROM instrument_type WHERE code = 'FUEL_DISPENSER'`)) as {
      id: string;
    }[];
    const users = app.get(UserService);
    const password = randomBytes(18).toString('base64url');
    const reception = await users.create(
      {
        username: `bench.reception`,
        fullName: 'Bench',
        roles: ['reception'],
        password,
      },
      SETUP,
    );
    const org = await app.get(OrganizationService).create(
      {
        name: 'Công ty Xăng dầu Bench',
        taxCode: '4200000001',
        streetAddress: '1 Trần Phú',
        province: 'Khánh Hòa',
      },
      SETUP,
    );
    const key = (await app.get(ApiKeyService).create(org.id, { name: 'bench' }, staffPrincipal(reception))).key;
    // Statements and the process's CPU (the server and the bench's client: the same process) per
    // call: figures that a loaded machine disturbs less than the wall time.
    const sql = countSql();
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      sql.reset();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const res = await fetch(base + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(headers.authorization ? {} : { 'x-api-key': key }),
          ...headers,
        },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      const ms = Math.round(performance.now() - t0);
      const used = process.cpuUsage(cpu);
      const cpuMs = Math.round((used.user + used.system) / 1000);
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
      return { ms, json, cpuMs, statements: sql.count };
    };

    // 1. 10,000 new instruments, registered on the fly.
    const newTimes: number[] = [];
    const newCpu: number[] = [];
    let firstRequest: { id: string; items: { instrument: { id: string } }[] } | undefined;
    for (let r = 0; r < RUNS; r++) {
      const items = Array.from({ length: ITEMS }, (_, i) => ({
        instrument: {
          instrumentTypeId: typeId,
          manufacturer: 'Tatsuno',
          model: 'SUNNY-2',
          serialNumber: `B${r}-${String(i).padStart(5, '0')}`,
          accuracyClass: '0.5',
          rangeMin: '5',
          rangeMax: '60',
          rangeUnit: 'L/min',
          placeOfUse: { siteName: `Cửa hàng số ${i % 50}`, district: 'Cam Ranh' },
        },
        service: 'verification_periodic',
      }));
      // BENCH_CPU_PROFILE=<file>: a V8 profile of each of these POSTs (<file>.new-<run>.cpuprofile).
      const profile = await profileCpu(
        process.env.BENCH_CPU_PROFILE?.replace(/(\.cpuprofile)?$/, `.new-${r + 1}.cpuprofile`),
      );
      const { ms, json, cpuMs, statements } = await post('/requests', {
        place: 'on_site',
        siteAddress: 'Cam Ranh',
        items,
      });
      await profile.stop();
      newTimes.push(ms);
      newCpu.push(cpuMs);
      firstRequest ??= json as unknown as typeof firstRequest;
      log(`run ${r + 1}: 10,000 new instruments → ${ms} ms (${cpuMs} ms CPU, ${statements} SQL statements)`);
      // BENCH_SQL_TRACE=1: where the POST waited on PostgreSQL, by statement.
      for (const [text, took] of sql.slowest(process.env.BENCH_SQL_TRACE === '1' ? 8 : 0))
        log(`  ${Math.round(took)} ms  ${text.slice(0, 110)}`);
    }
    // BENCH_NEW_ONLY=1: only these POSTs (alternating old and new code on a loaded machine).
    if (process.env.BENCH_NEW_ONLY) return [];
    results.push({
      metric: 'POST /requests, 10,000 new instruments (median of 3)',
      value: median(newTimes),
      unit: 'ms',
      target: TARGET_MS,
      note: `runs ${newTimes.join(', ')}; CPU ${newCpu.join(', ')} ms`,
    });

    // 2. 10,000 registered instruments, with an Idempotency-Key (as a careful client would send).
    const registered = firstRequest!.items.map((i) => i.instrument.id);
    const regTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const { ms, cpuMs, statements } = await post(
        '/requests',
        { place: 'lab', items: registered.map((id) => ({ instrumentId: id, service: 'verification_periodic' })) },
        { 'idempotency-key': `bench-${suffix}-${r}` },
      );
      regTimes.push(ms);
      log(`run ${r + 1}: 10,000 registered instruments → ${ms} ms (${cpuMs} ms CPU, ${statements} SQL statements)`);
      for (const [text, took] of sql.slowest(process.env.BENCH_SQL_TRACE === '1' ? 6 : 0))
        log(`  ${Math.round(took)} ms  ${text.slice(0, 110)}`);
    }
    results.push({
      metric: 'POST /requests, 10,000 registered instruments (median of 3)',
      value: median(regTimes),
      unit: 'ms',
      target: TARGET_MS,
      note: `runs ${regTimes.join(', ')}; with Idempotency-Key`,
    });

    // 3. Reading it back, as the business would: the request (counts and the first page of items),
    // then every item, 200 a page, by the cursor.
    const t0 = performance.now();
    const got = await fetch(`${base}/requests/${firstRequest!.id}`, { headers: { 'x-api-key': key } });
    const gotBody = await got.text();
    results.push({
      metric: 'GET /requests/:id (10,000 items: counts and the first 50)',
      value: Math.round(performance.now() - t0),
      unit: 'ms',
      note: `${Math.round(gotBody.length / 1024)} KiB`,
    });
    const t1 = performance.now();
    let cursor: string | null = '';
    let pages = 0;
    let read = 0;
    while (cursor !== null) {
      const page = await fetch(
        `${base}/requests/${firstRequest!.id}/items?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: { 'x-api-key': key } },
      );
      const body = (await page.json()) as { items: unknown[]; nextCursor: string | null };
      read += body.items.length;
      cursor = body.nextCursor;
      pages++;
    }
    results.push({
      metric: 'GET /requests/:id/items, all 10,000 items, 200 a page',
      value: Math.round(performance.now() - t1),
      unit: 'ms',
      note: `${pages} pages, ${read} items`,
    });

    // 4. Accepting it: a usable volume standard, an authorised technician, a webhook endpoint subscribed.
    const today = todayInVietnam();
    const standards = app.get(StandardService);
    const standard = await standards.create(
      {
        code: 'BC-20L',
        name: 'Bình chuẩn 20 L',
        level: 'working',
        quantity: 'volume',
        unit: 'L',
        rangeMin: '0',
        rangeMax: '20',
      },
      SETUP,
    );
    await standards.addCalibration(
      standard.id,
      {
        issuingLab: 'VMI',
        certificateNumber: 'V07.1',
        calibrationDate: addDays(today, -30),
        dueDate: addDays(today, 300),
        externalReference: { kind: 'national_standard', name: 'VMI' },
        values: [{ nominal: '20', value: '20.001', unit: 'L', expandedUncertainty: '0.002', coverageFactor: '2' }],
      },
      SETUP,
    );
    const tech = await users.create(
      {
        username: 'bench.tech',
        fullName: 'Bench tech',
        roles: ['technician'],
        password,
      },
      SETUP,
    );
    const adminUser = await users.create(
      {
        username: 'bench.admin',
        fullName: 'Bench admin',
        roles: ['admin'],
        password,
      },
      SETUP,
    );
    await app.get(AuthorisationService).grant(
      tech.id,
      {
        instrumentTypeId: typeId,
        service: 'verification_periodic',
        activity: 'perform',
        validFrom: addDays(today, -1),
      },
      staffPrincipal(adminUser),
    );
    await app.get(WebhookService).create(
      org.id,
      { url: 'http://127.0.0.1:9/hooks', events: ['item.status_changed', 'request.status_changed'] },
      {
        kind: 'business',
        apiKeyId: 'bench',
        organizationId: org.id,
      },
    );
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.reception', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const accept = await post(`/requests/${firstRequest!.id}/accept`, {}, { authorization: `Bearer ${accessToken}` });
    log(`accept: ${accept.ms} ms (${accept.cpuMs} ms CPU, ${accept.statements} SQL statements)`);
    for (const [text, took] of sql.slowest(process.env.BENCH_SQL_TRACE === '1' ? 12 : 0))
      log(`  ${Math.round(took)} ms  ${text.slice(0, 110)}`);
    const acceptedCount = (accept.json as { accepted: number }).accepted;
    if (acceptedCount !== ITEMS) throw new Error(`accepted ${acceptedCount} of ${ITEMS}`);
    results.push({
      metric: 'POST /requests/:id/accept, 10,000 items (review + transitions)',
      value: accept.ms,
      unit: 'ms',
      note: '10,000 history rows, audit entries, webhook deliveries and outbox jobs',
    });
    return results;
  } finally {
    await app.close();
    await runtime.stop();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await rm(env.DATA_DIR, { recursive: true, force: true });
  }
}

// Run as a process by bench/run.js: print each figure and whether it met its target.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run({ log: (line) => console.log(`   ${line}`) }).then(
    (results) => {
      let missed = 0;
      for (const r of results) {
        const met =
          r.target === undefined
            ? ''
            : r.value <= r.target
              ? `  ✓ target ${r.target} ${r.unit}`
              : `  ✗ target ${r.target} ${r.unit}`;
        if (r.target !== undefined && r.value > r.target) missed++;
        console.log(
          `   ${r.metric.padEnd(58)} ${String(r.value).padStart(9)} ${r.unit}${met}${r.note ? `  (${r.note})` : ''}`,
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
