// Certificates per second through the queue, end to end — the jobs approval's outbox flush sends →
// BullMQ → the worker's certificate.issue handler (the approved result read from the calibration
// library, the instrument's history, the request item moved, number and stamp, render + QR, sign,
// store with fsync, certificate + stamp + webhook + audit rows, commit) — against a raw pdfkit loop
// printing the same certificate in the same run, in alternating rounds. Aim (issue 6): ratio ≥ 0.5.
//
//   npm run bench -- certificates-queue        BENCH_CERTIFICATES=60 BENCH_ROUNDS=3 (per round)
import { cpus, loadavg } from 'node:os';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { JOB_QUEUE, jobId, JobQueue } from '#libs/core';
import type { CertificateModel } from '#libs/documents';
import { createApi } from '../apps/api/src/api.js';
import { createWorker } from '../apps/worker/src/worker.js';
import { ApprovalFactory, type Approval } from './support/approvals.js';
import {
  benchSystem,
  median,
  round,
  runWhenMain,
  type BenchResult,
  type BenchSystem,
} from './support/certificate-bench.js';
import { rawCertificate } from './support/raw-certificate.js';
import { profileCpu } from './support/cpu-profile.js';
import { countSql } from './support/sql-count.js';

export const name = 'certificates-queue';

interface Ctx {
  log(line: string): void;
}

const PER_ROUND = Number(process.env.BENCH_CERTIFICATES ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP = 10;

export default async function run(ctx: Ctx): Promise<BenchResult[]> {
  const sys: BenchSystem = await benchSystem({ WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4' });
  let api: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  let own: pg.Client | undefined;
  try {
    // Approved results, made over HTTP while no worker runs; their jobs are then cleared from the
    // queue, and each round sends its own batch again, as approval sends them.
    const total = WARM_UP + PER_ROUND * ROUNDS;
    ctx.log(`approving ${total} verifications over HTTP (queues on ${sys.queue}, ${cpus().length} CPUs)`);
    api = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    const factory = await ApprovalFactory.create(api);
    const approvals: Approval[] = [];
    for (let i = 0; i < total; i++) approvals.push(await factory.approve());
    await api.get(JobQueue).queue(JOB_QUEUE['certificate.issue']).drain();
    await api.close();
    api = undefined;

    // The bench's own connection (polling, reading the model): never counted.
    own = new pg.Client({ connectionString: sys.env.DATABASE_URL });
    await own.connect();
    const ownClient = own;
    // The approvals' outbox rows go too: the worker's reconciler would otherwise find their jobs
    // missing from the queue and send them again, issuing later rounds' certificates early (it did).
    await ownClient.query(`DELETE FROM outbox_message WHERE job_name = 'certificate.issue'`);
    worker = await createWorker(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    const jobs = worker.get(JobQueue);
    const count = async (): Promise<number> =>
      Number((await ownClient.query<{ n: number }>(`SELECT count(*)::int AS n FROM certificate`)).rows[0]!.n);
    /**
     * Sends a batch's certificate.issue jobs, as approval's outbox flush sends them (same names, ids
     * and options; no SQL in this process), and waits until every certificate is committed.
     */
    const throughQueue = async (batch: Approval[]): Promise<number> => {
      const before = await count();
      const t0 = performance.now();
      await jobs.enqueueMany(
        batch.map((d) => ({
          name: 'certificate.issue' as const,
          payload: { resultRevisionId: d.resultRevisionId },
          jobId: jobId('certificate', d.resultRevisionId),
        })),
      );
      while ((await count()) < before + batch.length) await new Promise((r) => setTimeout(r, 50));
      return performance.now() - t0;
    };
    const rawLoop = async (model: CertificateModel, n: number): Promise<number> => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await rawCertificate(model);
      return performance.now() - t0;
    };

    // Warm-up; the raw loop then prints exactly the page the queue printed.
    await throughQueue(approvals.slice(0, WARM_UP));
    const { model } = (
      await ownClient.query<{ model: CertificateModel }>(`SELECT model FROM certificate ORDER BY issued_at LIMIT 1`)
    ).rows[0]!;
    await rawLoop(model, WARM_UP);

    const raw: number[] = [];
    const queued: number[] = [];
    const cpuPerCertificate: number[] = [];
    // Every statement the worker sends while a round's certificates are issued (the issue itself,
    // the outbox flushes and sweeps), per certificate; the bench's own polling excluded.
    const sql = countSql([ownClient]);
    const statementsPerCertificate: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const batch = approvals.slice(WARM_UP + r * PER_ROUND, WARM_UP + (r + 1) * PER_ROUND);
      const order = r % 2 ? (['queue', 'raw'] as const) : (['raw', 'queue'] as const);
      for (const variant of order) {
        if (variant === 'raw') raw.push((PER_ROUND * 1000) / (await rawLoop(model, PER_ROUND)));
        else {
          const profile = await profileCpu(
            process.env.BENCH_CPU_PROFILE?.replace(/(\.cpuprofile)?$/, `.${r + 1}.cpuprofile`),
          );
          const cpu = process.cpuUsage();
          sql.reset();
          queued.push((PER_ROUND * 1000) / (await throughQueue(batch)));
          const used = process.cpuUsage(cpu);
          await profile.stop();
          cpuPerCertificate.push((used.user + used.system) / 1000 / PER_ROUND);
          statementsPerCertificate.push(sql.count / PER_ROUND);
          for (const [text, n] of sql.top(40)) ctx.log(`  ${String(n).padStart(5)}  ${text}`);
        }
      }
      ctx.log(
        `round ${r + 1}: raw pdfkit ${round(raw[r]!, 1)}/s, through the queue ${round(queued[r]!, 1)}/s (${round(cpuPerCertificate[r]!, 1)} ms CPU and ${round(statementsPerCertificate[r]!, 1)} SQL statements per certificate in this process)`,
      );
    }
    if ((await count()) !== total) throw new Error('not every certificate was issued');

    const rawRate = median(raw);
    const queueRate = median(queued);
    // Each round's variants ran back to back: their ratio is less exposed to the load of the moment.
    const ratio = median(queued.map((q, i) => q / raw[i]!));
    const note = `${PER_ROUND} per round × ${ROUNDS}; ${round(median(cpuPerCertificate), 1)} ms CPU per certificate; ${sys.queue}; worker concurrency ${sys.env.WORKER_CONCURRENCY}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`;
    return [
      { metric: 'raw pdfkit loop, same certificate (certificates/s)', value: round(rawRate, 1), unit: '/s' },
      {
        metric: 'through the queue: render+QR+sign+store+commit (certificates/s)',
        value: round(queueRate, 1),
        unit: '/s',
      },
      {
        metric: 'CPU per certificate in the worker process (median of the rounds)',
        value: round(median(cpuPerCertificate), 1),
        unit: 'ms',
      },
      {
        metric: 'SQL statements per certificate (median of the rounds)',
        value: round(median(statementsPerCertificate), 1),
        unit: '',
        target: 15,
      },
      {
        metric: 'queue / raw pdfkit (median of the rounds)',
        value: round(ratio),
        unit: '×',
        target: 0.5,
        better: 'higher',
        note,
      },
    ];
  } finally {
    await own?.end();
    await worker?.close();
    await api?.close();
    await sys.close();
  }
}

runWhenMain(import.meta.url, run);
