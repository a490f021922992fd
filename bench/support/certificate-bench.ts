// Shared set-up of the certificate benchmarks: a fresh database with every migration, queues on Redis
// when one answers (else BullMQ's PostgreSQL backend); statistics; running as a process.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadEnv, type Env } from '#libs/core';
import { prepareRuntime, type Runtime } from '#libs/platform';

const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function redisAnswers(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((ok) => {
    const socket = connect(Number(u.port || 6379), u.hostname);
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.end();
      ok(true);
    });
    socket.once('error', () => ok(false));
    socket.once('timeout', () => {
      socket.destroy();
      ok(false);
    });
  });
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchSystem {
  env: Env;
  runtime: Runtime;
  queue: 'redis' | 'postgres';
  close(): Promise<void>;
}

/** A fresh database and queue prefix of its own, dropped on close. */
export async function benchSystem(env: Record<string, string> = {}): Promise<BenchSystem> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const name = `tdc_bench_${suffix}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queue = (await redisAnswers(redisUrl)) ? 'redis' : 'postgres';
  const loaded = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url.toString(),
    ...(queue === 'redis' ? { REDIS_URL: redisUrl } : {}),
    DATA_DIR: `/tmp/tdc-bench/${name}`,
    PUBLIC_BASE_URL: 'https://lims.tdc.example.vn',
    LABORATORY_ADDRESS: '56 Hùng Vương, Phường Nghĩa Chánh, TP. Quảng Ngãi',
    PUBLIC_RATE_LIMIT: '1000000',
    ...env,
  });
  const runtime = await prepareRuntime(loaded, {
    allowEmbedded: false,
    log: () => undefined,
    queuePrefix: `tdc_bench_${suffix}`,
  });
  return {
    env: loaded,
    runtime,
    queue,
    async close() {
      await runtime.stop();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(loaded.DATA_DIR, { recursive: true, force: true });
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  target?: number;
  /** Whether a higher value is the better one (ratios); default: lower (times). */
  better?: 'higher' | 'lower';
  note?: string;
}

/** Run as a process by bench/run.js: print each figure and whether it met its target; exit 1 on a miss. */
export function runWhenMain(
  moduleUrl: string,
  run: (ctx: { log(line: string): void }) => Promise<BenchResult[]>,
): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  run({ log: (line) => console.log(`   ${line}`) }).then(
    (results) => {
      let missed = 0;
      for (const r of results) {
        const higher = r.better === 'higher';
        const met = r.target === undefined || (higher ? r.value >= r.target : r.value <= r.target);
        if (!met) missed++;
        const verdict =
          r.target === undefined ? '' : `  ${met ? '✓' : '✗'} target ${higher ? '≥' : '≤'} ${r.target} ${r.unit}`;
        console.log(
          `   ${r.metric.padEnd(62)} ${String(r.value).padStart(10)} ${r.unit}${verdict}${r.note ? `  (${r.note})` : ''}`,
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
