// Shared set-up of the certificate benchmarks: a fresh database with every migration, queues on Redis
// when one answers (else BullMQ's PostgreSQL backend), an in-memory CertificateSource standing in for
// the result workflow, and realistic drafts. Not part of the application.
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import pg from 'pg';
import {
  CERTIFICATE_SOURCE,
  CertificateSourceError,
  type CertificateDraft,
  type CertificateSource,
} from '#libs/certificates';
import { loadEnv, type Env } from '#libs/core';
import { prepareRuntime, type Runtime } from '#libs/platform';

const SERVER_URL = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export class MemoryCertificateSource implements CertificateSource {
  private readonly drafts = new Map<string, CertificateDraft>();

  add(draft: CertificateDraft): CertificateDraft {
    this.drafts.set(draft.resultRevisionId, draft);
    return draft;
  }

  async load(resultRevisionId: string): Promise<CertificateDraft> {
    const draft = this.drafts.get(resultRevisionId);
    if (!draft) throw new CertificateSourceError(resultRevisionId, 'not_found', `no draft ${resultRevisionId}`);
    return structuredClone(draft);
  }
}

export function sourceModule(source: CertificateSource): DynamicModule {
  @Global()
  @Module({})
  class BenchCertificateSourceModule {}
  return {
    module: BenchCertificateSourceModule,
    providers: [{ provide: CERTIFICATE_SOURCE, useValue: source }],
    exports: [CERTIFICATE_SOURCE],
  };
}

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

/** A passed periodic verification of a fuel dispenser, as approval would describe it. */
export function verificationDraft(
  ids: { organizationId: string; instrumentId: string },
  measurementDate: string,
): CertificateDraft {
  return {
    resultRevisionId: randomUUID(),
    resultId: randomUUID(),
    organizationId: ids.organizationId,
    instrumentId: ids.instrumentId,
    requestItemId: null,
    service: 'verification_periodic',
    outcome: 'pass',
    measurementDate,
    validUntil: null,
    content: {
      customer: {
        name: 'Công ty TNHH Xăng dầu Ấp Mới',
        address: 'Quốc lộ 1A, xã Tịnh Ấn Tây, huyện Sơn Tịnh, Quảng Ngãi',
        contact: 'Ông Nguyễn Văn Thưởng — 0905 123 456',
      },
      item: {
        typeName: 'Cột đo xăng dầu',
        typeNameEn: 'Fuel dispenser',
        manufacturer: 'Tatsuno (Nhật Bản)',
        model: 'SUNNY-NX',
        serial: `TS-${randomUUID().slice(0, 8)}`,
        range: '(5 ÷ 50) L/min',
        accuracyClass: '0,5',
        owner: 'Cửa hàng xăng dầu Ấp Mới',
        placeOfUse: 'Quốc lộ 1A, xã Tịnh Ấn Tây',
      },
      measurementDates: [measurementDate],
      placeOfMeasurement: 'Tại nơi sử dụng',
      method: { code: 'ĐLVN 10:2017', title: 'Cột đo xăng dầu — Quy trình kiểm định' },
      environment: { temperature: { value: '27,5', unit: '°C' }, humidity: { value: '71', unit: '%RH' } },
      standards: [
        {
          code: 'BC-20',
          name: 'Bình chuẩn kim loại 20 L, cấp 0,05',
          certificateNumber: 'V07.123.25',
          issuedBy: 'Viện Đo lường Việt Nam (VMI)',
          dueDate: '2027-01-15',
        },
        {
          code: 'NĐ-05',
          name: 'Nhiệt kế điện tử',
          certificateNumber: 'KT3-0456-25',
          issuedBy: 'Trung tâm Kỹ thuật 3 (QUATEST 3)',
          dueDate: '2026-11-30',
        },
      ],
      results: [
        {
          unit: '%',
          rows: [
            { label: 'Qmax', nominal: '50', error: '0,12', mpe: '±0,5', decision: 'pass' },
            { label: 'Qtb', nominal: '25', error: '0,08', mpe: '±0,5', decision: 'pass' },
            { label: 'Qmin', nominal: '5', error: '−0,21', mpe: '±0,5', decision: 'pass' },
          ],
        },
      ],
      decisionRule: { rule: 'simple' },
      conformity: { decision: 'pass', specification: 'ĐLVN 10:2017' },
      authorisedSignatory: { name: 'Trần Thị Ngọc Hương', title: 'Phó Giám đốc', titleEn: 'Deputy Director' },
      technician: { name: 'Lê Quốc Đạt' },
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
