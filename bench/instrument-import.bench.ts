// POST /instruments/import with 50,000 rows (XLSX and CSV), against the 10 s target of issue 15, over
// real HTTP to the real API on a fresh PostgreSQL database (the shipped catalogue seeded, a reception
// user): a dry run, then the import (one transaction: multi-row INSERTs and one audit entry naming
// every instrument). Besides wall time, each upload's CPU time: this process's (the API and the
// client) and, when the database server runs on this machine, its backends' (from /proc).
//
//   BENCH_DATABASE_SERVER_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_IMPORT_ROWS          rows per file (default 50000)
//   BENCH_CPU_PROFILE          write a V8 CPU profile of the uploads (support/cpu-profile.ts) to this file
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { systemActor } from '#libs/audit';
import { UserService } from '#libs/auth';
import { loadEnv } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { OrganizationService } from '#libs/registry';
import { createApi } from '../apps/api/src/api.js';
import { profileCpu } from './support/cpu-profile.js';

export const name = 'instrument-import';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const TARGET_MS = 10_000;
const SETUP = systemActor('bench set-up');
const SERVER = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HEADER = [
  'typeCode',
  'manufacturer',
  'model',
  'serialNumber',
  'accuracyClass',
  'rangeMin',
  'rangeMax',
  'rangeUnit',
  'siteName',
  'district',
];

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

function rows(prefix: string): string[][] {
  return Array.from({ length: ROWS }, (_, i) => [
    'FUEL_DISPENSER',
    'Tatsuno',
    'SUNNY-2',
    `${prefix}-${String(i).padStart(6, '0')}`,
    '0.5',
    '5',
    '60',
    'L/min',
    `Cửa hàng số ${i % 50}`,
    'Cam Ranh',
  ]);
}

/** CPU milliseconds the database's backends have used (/proc, when the server runs here), or null. */
async function databaseCpuMs(db: DataSource): Promise<number | null> {
  const pids = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as {
    pid: number;
  }[];
  let total = 0;
  for (const { pid } of pids) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat (after the command's parentheses): user and system ticks.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
    } catch {
      return null;
    }
  }
  return total;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return Math.round((d.user + d.system) / 1000);
};

async function xlsx(data: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('instruments');
  sheet.addRow(HEADER);
  sheet.addRows(data);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csv = (data: string[][]): Buffer =>
  Buffer.from([HEADER, ...data].map((r) => r.map((c) => `"${c}"`).join(',')).join('\n'), 'utf8');

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
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const password = randomBytes(18).toString('base64url');
    await app
      .get(UserService)
      .create({ username: 'bench.reception', fullName: 'Bench', roles: ['reception'], password }, SETUP);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.reception', password }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const org = await app
      .get(OrganizationService)
      .create(
        { name: 'Công ty Xăng dầu Bench', taxCode: '4200000001', streetAddress: '1 Trần Phú', province: 'Khánh Hòa' },
        SETUP,
      );
    const db = app.get(DataSource);
    const upload = async (file: Buffer, fileName: string, dryRun: boolean) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file)]), fileName);
      const dbBefore = await databaseCpuMs(db);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await fetch(`${base}/instruments/import?ownerId=${org.id}&dryRun=${dryRun}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const json = (await res.json()) as { imported?: number; valid?: number };
      const ms = Math.round(performance.now() - t0);
      const apiCpu = cpuMs(cpu0);
      const dbAfter = await databaseCpuMs(db);
      if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
      const dbCpu = dbBefore === null || dbAfter === null ? 'n/a' : `${dbAfter - dbBefore} ms`;
      return { ms, json, cpu: `CPU: this process ${apiCpu} ms, PostgreSQL ${dbCpu}` };
    };
    const profile = await profileCpu(process.env.BENCH_CPU_PROFILE);
    for (const [format, file] of [
      ['xlsx', await xlsx(rows('X'))],
      ['csv', csv(rows('C'))],
    ] as const) {
      const dry = await upload(file, `pt.${format}`, true);
      log(`${format} dry run: ${dry.ms} ms, ${dry.json.valid} valid (${dry.cpu})`);
      const done = await upload(file, `pt.${format}`, false);
      const load = loadavg()[0]!.toFixed(2);
      log(`${format} import: ${done.ms} ms, ${done.json.imported} imported (${done.cpu}; load ${load})`);
      const note = `${Math.round(file.length / 1024)} KiB, load average ${load}`;
      results.push({
        metric: `dry run, ${ROWS} rows ${format}`,
        value: dry.ms,
        unit: 'ms',
        target: TARGET_MS,
        note: `${note}; ${dry.cpu}`,
      });
      results.push({
        metric: `import, ${ROWS} rows ${format}`,
        value: done.ms,
        unit: 'ms',
        target: TARGET_MS,
        note: `${note}; ${done.cpu}`,
      });
    }
    await profile.stop();
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM instrument`)) as { n: number }[];
    if (n !== 2 * ROWS) throw new Error(`expected ${2 * ROWS} instruments, found ${n}`);
    return results;
  } finally {
    await app.close();
    await runtime.stop();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await rm(env.DATA_DIR, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run({ log: (line) => console.log(`   ${line}`) }).then(
    (results) => {
      let missed = 0;
      for (const r of results) {
        const over = r.target !== undefined && r.value > r.target;
        if (over) missed++;
        const met = r.target === undefined ? '' : `  ${over ? '✗' : '✓'} target ${r.target} ${r.unit}`;
        console.log(
          `   ${r.metric.padEnd(40)} ${String(r.value).padStart(9)} ${r.unit}${met}${r.note ? `  (${r.note})` : ''}`,
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
