// Scale-out: certificates per second with 1 and then 2 worker processes (the real worker module in
// processes of their own, as `npm run start:worker` runs it) against one PostgreSQL and one Redis,
// with the machine's core count beside the figures. Approved results are made over HTTP first (no
// worker running), then each phase starts its workers, issues a warm-up batch, and times a batch of
// BENCH_CERTIFICATES through the queue (one series: numbers are gapless, so a series renders one
// certificate at a time between its number and its commit; everything before the number overlaps).
//
//   npm run bench -- certificates-scale-out     BENCH_CERTIFICATES=120 WORKER_CONCURRENCY=4 BENCH_WORKERS=1,2
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { JOB_QUEUE, jobId, JobQueue } from '#libs/core';
import { createApi } from '../apps/api/src/api.js';
import { ApprovalFactory, type Approval } from './support/approvals.js';
import { benchSystem, round, runWhenMain, type BenchResult, type BenchSystem } from './support/certificate-bench.js';

export const name = 'certificates-scale-out';

interface Ctx {
  log(line: string): void;
}

const PER_PHASE = Number(process.env.BENCH_CERTIFICATES ?? 120);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const WARM_UP_PER_WORKER = 8;
const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'support', 'worker-process.js');
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS = 100;

interface WorkerProcess {
  child: ChildProcess;
  started: Promise<void>;
  exited: Promise<void>;
}

function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const started = new Promise<void>((ok, fail) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('worker started')) ok();
    });
    void exited.then(() => fail(new Error(`worker exited before it started: ${err || out}`)));
  });
  return { child, started, exited };
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat fields 14 and 15). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

interface Phase {
  workers: number;
  rate: number;
  cpuPerCertificate: number;
  load: string;
}

export default async function run(ctx: Ctx): Promise<BenchResult[]> {
  const concurrency = process.env.WORKER_CONCURRENCY ?? '4';
  const sys: BenchSystem = await benchSystem({ WORKER_CONCURRENCY: concurrency });
  let api: INestApplication | undefined;
  const own = new pg.Client({ connectionString: sys.env.DATABASE_URL });
  const running: WorkerProcess[] = [];
  try {
    await own.connect();
    const total = WORKERS.reduce((n, w) => n + w * WARM_UP_PER_WORKER + PER_PHASE, 0);
    ctx.log(`approving ${total} verifications over HTTP (queues on ${sys.queue}, ${availableParallelism()} cores)`);
    api = await createApi(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    const factory = await ApprovalFactory.create(api);
    const approvals: Approval[] = [];
    for (let i = 0; i < total; i++) approvals.push(await factory.approve());
    const jobs = api.get(JobQueue);
    await jobs.queue(JOB_QUEUE['certificate.issue']).drain();
    // The workers' reconcilers would otherwise send the drained jobs again (see certificates-queue).
    await own.query(`DELETE FROM outbox_message WHERE job_name = 'certificate.issue'`);

    const count = async (): Promise<number> =>
      Number((await own.query<{ n: number }>(`SELECT count(*)::int AS n FROM certificate`)).rows[0]!.n);
    const issue = async (batch: Approval[]): Promise<number> => {
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
    const workerEnv: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: sys.env.DATABASE_URL!,
      ...(sys.env.REDIS_URL ? { REDIS_URL: sys.env.REDIS_URL } : {}),
      DATA_DIR: sys.env.DATA_DIR,
      PUBLIC_BASE_URL: 'https://lims.tdc.example.vn',
      LABORATORY_ADDRESS: '56 Hùng Vương, Phường Nghĩa Chánh, TP. Quảng Ngãi',
      RUN_MIGRATIONS: 'false',
      WORKER_CONCURRENCY: concurrency,
      BENCH_QUEUE_PREFIX: String(sys.runtime.backend.options.prefix),
    };

    const phases: Phase[] = [];
    let next = 0;
    for (const n of WORKERS) {
      const started = Array.from({ length: n }, () => startWorker(workerEnv));
      running.push(...started);
      await Promise.all(started.map((w) => w.started));
      await issue(approvals.slice(next, (next += n * WARM_UP_PER_WORKER)));
      const cpu0 = started.map((w) => cpuMs(w.child.pid!));
      const ms = await issue(approvals.slice(next, (next += PER_PHASE)));
      const cpu = started.reduce((sum, w, i) => sum + cpuMs(w.child.pid!) - cpu0[i]!, 0);
      const load = loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
      phases.push({ workers: n, rate: (PER_PHASE * 1000) / ms, cpuPerCertificate: cpu / PER_PHASE, load });
      ctx.log(
        `${n} worker process(es): ${round((PER_PHASE * 1000) / ms, 1)} certificates/s, ${round(cpu / PER_PHASE, 1)} ms CPU per certificate in the workers (load ${load})`,
      );
      for (const w of started) w.child.kill('SIGTERM');
      await Promise.all(started.map((w) => w.exited));
    }
    if ((await count()) !== next) throw new Error('not every certificate was issued');

    const cores = availableParallelism();
    const results: BenchResult[] = phases.map((p) => ({
      metric: `${p.workers} worker process${p.workers > 1 ? 'es' : ''}: certificates/s`,
      value: round(p.rate, 1),
      unit: '/s',
      better: 'higher',
      note: `${round(p.cpuPerCertificate, 1)} ms CPU per certificate in the workers; ${cores} cores (os.availableParallelism()); load ${p.load}`,
    }));
    const one = phases.find((p) => p.workers === 1);
    const two = phases.find((p) => p.workers === 2);
    if (one && two)
      results.push({
        metric: '2 workers / 1 worker (certificates/s)',
        value: round(two.rate / one.rate),
        unit: '×',
        better: 'higher',
        note: `${cores} cores; ${PER_PHASE} certificates per phase; worker concurrency ${concurrency}; ${sys.queue}`,
      });
    return results;
  } finally {
    for (const w of running) w.child.kill('SIGTERM');
    await Promise.all(running.map((w) => w.exited));
    await own.end().catch(() => undefined);
    await api?.close();
    await sys.close();
  }
}

runWhenMain(import.meta.url, run);
