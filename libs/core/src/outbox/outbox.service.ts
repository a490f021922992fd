import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { insertMany } from '../database/insert-many.js';
import { JobQueue } from '../queue/job-queue.service.js';
import type { JobName, JobPayloads } from '../queue/jobs.js';
import { UnitOfWork, type Tx } from '../unit-of-work/unit-of-work.js';
import { OutboxMessage, type OutboxOutcome } from './outbox-message.entity.js';
import type { OutboxReconciler } from './outbox-reconciler.js';
import { OutboxRepository } from './outbox.repository.js';

/** Messages per transaction and per addBulk round trip. */
const BATCH = 500;

/**
 * Transactional outbox. `add` inside the use case's transaction; once it commits, an afterCommit
 * hook starts a flush in the background for low latency (the request does not wait for the queue:
 * accepting 10,000 items enqueues 10,000 webhook deliveries); the worker also sweeps periodically so
 * a crash between commit and enqueue loses nothing.
 */
@Injectable()
export class Outbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  /** The background flush running now, if any; `again`: a commit since it started asks for one more pass. */
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly messages: OutboxRepository,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
  ) {}

  /** Transactions that already flush after commit. */
  private readonly flushing = new WeakSet<Tx>();

  async add<N extends JobName>(tx: Tx, name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
    await tx.manager.insert(OutboxMessage, { jobName: name, jobId, payload: payload as object });
    this.flushAfterCommit(tx);
  }

  /** add() for many jobs of one name at once (multi-row INSERTs), e.g. one webhook delivery per item of a large request. */
  async addMany<N extends JobName>(tx: Tx, name: N, jobs: { payload: JobPayloads[N]; jobId: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    await insertMany(
      tx.manager,
      OutboxMessage,
      jobs.map((j) => ({ jobName: name, jobId: j.jobId, payload: j.payload as object })),
    );
    this.flushAfterCommit(tx);
  }

  /** Once per transaction. */
  private flushAfterCommit(tx: Tx): void {
    if (this.flushing.has(tx)) return;
    this.flushing.add(tx);
    tx.afterCommit(() => this.flushSoon());
  }

  /**
   * Starts a flush without waiting for it. One runs at a time: commits during a flush ask for one
   * more pass after it (the rows they wrote may have been claimed too late for it), not one each.
   */
  flushSoon(): void {
    this.again = true;
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) this.flushSoon(); // asked for between the last pass and now
    });
  }

  private async drain(): Promise<void> {
    while (this.again) {
      this.again = false;
      await this.flushQuietly();
    }
  }

  /** The background flush (and any pass it asked for) finishes before the queue and the database close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  /** Resolves when no background flush runs (tests, and whoever must know the queue has what was committed). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Whether a job is written to the outbox and not yet moved to the queue (in `tx`, if given). */
  isPending(tx: Tx | undefined, jobId: string): Promise<boolean> {
    return this.messages.isPending(tx, jobId);
  }

  /**
   * The newest message with this job id, or undefined when none asks for the job: whether it is still
   * waiting to be dispatched, and whether the reconciliation settled it (and how).
   */
  latest(jobId: string): Promise<{ dispatched: boolean; outcome: OutboxOutcome | null } | undefined> {
    return this.messages.latest(jobId);
  }

  /** Enqueues every pending message; safe to run concurrently from several processes. Returns how many it moved. */
  async flush(): Promise<number> {
    let moved = 0;
    for (;;) {
      const n = await this.uow.run(async (tx) => {
        const rows = await this.messages.claimUndispatched(tx, BATCH);
        await this.jobs.enqueueMany(rows.map((r) => ({ name: r.job_name, payload: r.payload, jobId: r.job_id })));
        if (rows.length > 0)
          await this.messages.markDispatched(
            tx,
            rows.map((r) => r.id),
          );
        return rows.length;
      });
      moved += n;
      if (n < BATCH) return moved;
    }
  }

  /** Deletes the settled rows older than `days` days that nothing reads any more (see OutboxRepository.pruneSettled). */
  async pruneSettled(days: number): Promise<number> {
    let pruned = 0;
    for (;;) {
      const n = await this.messages.pruneSettled(days, BATCH);
      pruned += n;
      if (n < BATCH) return pruned;
    }
  }

  /** Flush without letting a queue hiccup fail the request that already committed; the sweeper retries. */
  async flushQuietly(): Promise<void> {
    await this.flush().catch((e: unknown) =>
      this.logger.warn(`outbox flush deferred: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}

/**
 * Runs in the worker: flushes the outbox every `flushEveryMs`, reconciles it with the queue every
 * `reconcileEveryMs` (and once at start), and after each reconciliation prunes settled rows older
 * than `retentionDays`.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing?: Promise<void>;
  private reconciling?: Promise<void>;

  constructor(
    private readonly outbox: Outbox,
    private readonly reconciler: OutboxReconciler,
    private readonly flushEveryMs: number,
    private readonly reconcileEveryMs: number,
    /** Settled rows older than this are pruned after each reconciliation. */
    private readonly retentionDays: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => this.flush(), this.flushEveryMs));
    this.timers.push(setInterval(() => this.reconcile(), this.reconcileEveryMs));
    this.timers.push(setTimeout(() => this.reconcile(), 0));
    for (const t of this.timers) t.unref();
  }

  private flush(): void {
    if (!this.flushing) this.flushing = this.outbox.flushQuietly().finally(() => (this.flushing = undefined));
  }

  private reconcile(): void {
    if (this.reconciling) return;
    this.reconciling = this.reconciler
      .reconcile()
      .then(() => this.outbox.pruneSettled(this.retentionDays))
      .then(() => undefined)
      .catch((e: unknown) =>
        this.logger.warn(`outbox reconciliation deferred: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => (this.reconciling = undefined));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await Promise.all([this.flushing, this.reconciling]);
  }
}
