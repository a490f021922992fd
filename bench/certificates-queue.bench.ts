// Certificates per second through the queue, end to end — the jobs approval's outbox flush sends →
// BullMQ → the worker's certificate.issue handler (the approved result read from the calibration
// library, the instrument's history, the request item moved, number and stamp, render + QR, sign,
// store with fsync, certificate + stamp + webhook + audit rows, commit) — against a raw pdfkit loop
// printing the same certificate in the same run, in alternating rounds. Aim (issue 6): ratio ≥ 0.5.
// Each setting (BENCH_RENDER_THREADS, default `0,<cores>`: on the worker's own thread, then the pool;
// with threads, each of BENCH_DRAW_AHEAD, default `false,true`: the document drawn once the number is
// taken, then drawn ahead of it as shipped) has a worker of its own on a queue prefix of its own, in
// the same rounds.
//
//   npm run bench -- certificates-queue        BENCH_CERTIFICATES=60 BENCH_ROUNDS=3 (per round and setting)
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { JOB_QUEUE, jobId, JobQueue, type Env } from '#libs/core';
import { prepareRuntime, type Runtime } from '#libs/platform';
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
import { NumberForecast } from '../libs/certificates/src/numbering/number-forecast.js';

export const name = 'certificates-queue';

interface Ctx {
  log(line: string): void;
}

const PER_ROUND = Number(process.env.BENCH_CERTIFICATES ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP = 10;
const list = <T>(text: string, parse: (s: string) => T): T[] => text.split(',').map((s) => parse(s.trim()));
/** The settings compared, each a worker; the last is the one the target is about (the shipped defaults). */
const SETTINGS = list(process.env.BENCH_RENDER_THREADS ?? `0,${availableParallelism()}`, Number).flatMap((threads) =>
  threads === 0
    ? [{ threads, drawAhead: false }]
    : list(process.env.BENCH_DRAW_AHEAD ?? 'false,true', (s) => s === 'true').map((drawAhead) => ({
        threads,
        drawAhead,
      })),
);

/** One worker, rendering with `threads` render threads, on a queue prefix of its own. */
interface Variant {
  threads: number;
  drawAhead: boolean;
  label: string;
  runtime: Runtime;
  worker: INestApplicationContext;
  approvals: Approval[];
  rates: number[];
  ratios: number[];
  cpu: number[];
  statements: number[];
  /** The share of the worker's (main) thread's time its event loop was busy. */
  mainThreadBusy: number[];
  /** Issues whose number was guessed right (their document drawn ahead was used) and wrong. */
  guessedRight: number[];
  guessedWrong: number[];
}

async function startVariant(
  sys: BenchSystem,
  { threads, drawAhead }: (typeof SETTINGS)[number],
  approvals: Approval[],
): Promise<Variant> {
  const env: Env = Object.assign(Object.create(Object.getPrototypeOf(sys.env) as object) as Env, sys.env, {
    CERTIFICATE_RENDER_THREADS: threads,
    CERTIFICATE_DRAW_AHEAD: drawAhead,
    RUN_MIGRATIONS: false,
  });
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log: () => undefined,
    queuePrefix: `${String(sys.runtime.backend.options.prefix)}_r${threads}${drawAhead ? 'a' : ''}`,
  });
  const worker = await createWorker(env, runtime.dataSource, runtime.backend);
  const label =
    threads === 0
      ? 'rendering on the worker thread'
      : `${threads} render thread(s), ${drawAhead ? 'drawn ahead of the number' : 'drawn after the number'}`;
  return {
    threads,
    drawAhead,
    label,
    runtime,
    worker,
    approvals,
    rates: [],
    ratios: [],
    cpu: [],
    statements: [],
    mainThreadBusy: [],
    guessedRight: [],
    guessedWrong: [],
  };
}

export default async function run(ctx: Ctx): Promise<BenchResult[]> {
  const sys: BenchSystem = await benchSystem({ WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4' });
  let api: INestApplication | undefined;
  const variants: Variant[] = [];
  let own: pg.Client | undefined;
  try {
    // Approved results, made over HTTP while no worker runs; their jobs are then cleared from the
    // queue, and each round sends its own batch again, as approval sends them.
    const total = (WARM_UP + PER_ROUND * ROUNDS) * SETTINGS.length;
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
    const perVariant = WARM_UP + PER_ROUND * ROUNDS;
    for (const [i, setting] of SETTINGS.entries())
      variants.push(await startVariant(sys, setting, approvals.slice(i * perVariant, (i + 1) * perVariant)));
    const count = async (): Promise<number> =>
      Number((await ownClient.query<{ n: number }>(`SELECT count(*)::int AS n FROM certificate`)).rows[0]!.n);
    /**
     * Sends a batch's certificate.issue jobs to a variant's worker, as approval's outbox flush sends
     * them (same names, ids and options; no SQL in this process), and waits until every certificate is committed.
     */
    const throughQueue = async (v: Variant, batch: Approval[]): Promise<number> => {
      const before = await count();
      const t0 = performance.now();
      await v.worker.get(JobQueue).enqueueMany(
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

    // Warm-up (the render threads start here); the raw loop then prints exactly the page the queue printed.
    for (const v of variants) await throughQueue(v, v.approvals.slice(0, WARM_UP));
    const { model } = (
      await ownClient.query<{ model: CertificateModel }>(`SELECT model FROM certificate ORDER BY issued_at LIMIT 1`)
    ).rows[0]!;
    await rawLoop(model, WARM_UP);

    const raw: number[] = [];
    // Every statement the workers send while a round's certificates are issued (the issue itself,
    // the outbox flushes and sweeps), per certificate; the bench's own polling excluded.
    const sql = countSql([ownClient]);
    const measure = async (v: Variant, r: number): Promise<void> => {
      const batch = v.approvals.slice(WARM_UP + r * PER_ROUND, WARM_UP + (r + 1) * PER_ROUND);
      const profile = await profileCpu(
        process.env.BENCH_CPU_PROFILE?.replace(
          /(\.cpuprofile)?$/,
          `.r${v.threads}${v.drawAhead ? 'a' : ''}.${r + 1}.cpuprofile`,
        ),
      );
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      const guesses = v.worker.get(NumberForecast).stats;
      sql.reset();
      v.rates.push((PER_ROUND * 1000) / (await throughQueue(v, batch)));
      const used = process.cpuUsage(cpu);
      v.mainThreadBusy.push(performance.eventLoopUtilization(elu).utilization);
      const after = v.worker.get(NumberForecast).stats;
      v.guessedRight.push(after.guessedRight - guesses.guessedRight);
      v.guessedWrong.push(after.guessedWrong - guesses.guessedWrong);
      await profile.stop();
      v.cpu.push((used.user + used.system) / 1000 / PER_ROUND);
      v.statements.push(sql.count / PER_ROUND);
      for (const [text, n] of sql.top(40)) ctx.log(`  ${String(n).padStart(5)}  ${text}`);
    };
    for (let r = 0; r < ROUNDS; r++) {
      // Raw loop and variants in a rotating order, so the load of the moment falls on each alike.
      const steps: (Variant | 'raw')[] = ['raw', ...variants];
      for (let k = 0; k < steps.length; k++) {
        const step = steps[(k + r) % steps.length]!;
        if (step === 'raw') raw.push((PER_ROUND * 1000) / (await rawLoop(model, PER_ROUND)));
        else await measure(step, r);
      }
      for (const v of variants) v.ratios.push(v.rates[r]! / raw[r]!);
      ctx.log(
        `round ${r + 1}: raw pdfkit ${round(raw[r]!, 1)}/s; ${variants
          .map(
            (v) =>
              `${v.label}: ${round(v.rates[r]!, 1)}/s (${round(v.ratios[r]!)}×; ${round(v.cpu[r]!, 1)} ms CPU, ${round(v.statements[r]!, 1)} SQL statements per certificate; main thread busy ${Math.round(v.mainThreadBusy[r]! * 100)} %${v.drawAhead ? `; numbers guessed right ${v.guessedRight[r]}, wrong ${v.guessedWrong[r]}` : ''})`,
          )
          .join('; ')}`,
      );
    }
    if ((await count()) !== variants.length * perVariant) throw new Error('not every certificate was issued');
    return results(sys, raw, variants);
  } finally {
    await own?.end();
    for (const v of variants) {
      await v.worker.close();
      await v.runtime.stop();
    }
    await api?.close();
    await sys.close();
  }
}

/** Per variant: its rate, CPU and statements per certificate, and its ratio to the raw loop (medians of the rounds). */
function results(sys: BenchSystem, raw: number[], variants: Variant[]): BenchResult[] {
  const note = `${PER_ROUND} per round × ${ROUNDS}; ${sys.queue}; worker concurrency ${sys.env.WORKER_CONCURRENCY}; ${availableParallelism()} cores; load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
  const last = variants.at(-1);
  return [
    { metric: 'raw pdfkit loop, same certificate (certificates/s)', value: round(median(raw), 1), unit: '/s' },
    ...variants.flatMap((v): BenchResult[] => [
      {
        metric: `${v.label}: through the queue, render+QR+sign+store+commit (certificates/s)`,
        value: round(median(v.rates), 1),
        unit: '/s',
      },
      {
        metric: `${v.label}: CPU per certificate in the worker process, all threads (median of the rounds)`,
        value: round(median(v.cpu), 1),
        unit: 'ms',
      },
      {
        metric: `${v.label}: worker's main thread busy (event loop utilisation, median of the rounds)`,
        value: round(median(v.mainThreadBusy)),
        unit: '',
      },
      {
        metric: `${v.label}: SQL statements per certificate (median of the rounds)`,
        value: round(median(v.statements), 1),
        unit: '',
        target: 15,
      },
      {
        metric: `${v.label}: queue / raw pdfkit (median of the rounds)`,
        value: round(median(v.ratios)),
        unit: '×',
        ...(v === last ? { target: 0.5, better: 'higher' as const } : {}),
        note,
      },
    ]),
  ];
}

runWhenMain(import.meta.url, run);
