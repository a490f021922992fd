import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { JobHandlerRegistry } from '../queue/job-handler.js';
import { JobQueue } from '../queue/job-queue.service.js';
import type { JobName } from '../queue/jobs.js';
import { UnitOfWork, type Tx } from '../unit-of-work/unit-of-work.js';
import { OutboxRepository, type UnsettledOutboxRow } from './outbox.repository.js';
import { reconcile, type Reconciliation } from './reconciliation.js';

export interface ReconcileReport {
  /** Dispatched, unsettled messages looked at. */
  checked: number;
  /** Enqueued again: the queue had lost them and their effect was not there. */
  requeued: number;
  /** Settled: done, finished in the queue, or superseded; never looked at again. */
  settled: number;
}

/**
 * The outbox does not trust the queue to keep what it was given (Redis restarted empty, FLUSHALL,
 * evicted keys). A worker looks at dispatched messages not yet settled, a bounded batch per sweep,
 * oldest first, and applies `reconcile` to each: a job the queue no longer has, whose effect is not
 * in the database, is enqueued again with its deterministic job id (a duplicate add is a no-op, and a
 * handler is idempotent: the certificate issuer's exactly-once holds). Rows are locked FOR UPDATE
 * SKIP LOCKED, so several workers split the work. Worker only: it asks the job handlers
 * (`alreadyDone`) whether a job's effect is there.
 */
@Injectable()
export class OutboxReconciler {
  private readonly logger = new Logger('Outbox');
  /** The next sweep starts after this id, and from the oldest again once a sweep reached the end. */
  private after = '0';

  constructor(
    private readonly messages: OutboxRepository,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly moduleRef: ModuleRef,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private get handlers(): JobHandlerRegistry {
    return this.moduleRef.get(JobHandlerRegistry, { strict: false });
  }

  /** One sweep: at most OUTBOX_RECONCILE_BATCH messages. */
  async reconcile(): Promise<ReconcileReport> {
    const batch = this.env.OUTBOX_RECONCILE_BATCH;
    const report = await this.uow.run(async (tx) => {
      const rows = await this.messages.claimUnsettled(tx, this.after, batch);
      const decisions = await this.decide(rows);
      await this.apply(tx, rows, decisions);
      this.after = rows.length < batch ? '0' : rows[rows.length - 1]!.id;
      return {
        checked: rows.length,
        requeued: decisions.filter((d) => d.action === 'requeue').length,
        settled: decisions.filter((d) => d.action === 'settle').length,
      };
    });
    if (report.requeued > 0) {
      this.logger.warn(`outbox reconciliation: ${report.requeued} job(s) the queue had lost were enqueued again`);
    }
    return report;
  }

  /** The queue first, then the database (see `reconcile`). */
  private async decide(rows: UnsettledOutboxRow[]): Promise<Reconciliation[]> {
    const states = await Promise.all(
      rows.map((r) => (r.superseded ? Promise.resolve('unknown' as const) : this.jobs.state(r.job_name, r.job_id))),
    );
    const done = await this.effectsDone(rows.filter((r) => !r.superseded));
    return rows.map((r, i) =>
      reconcile({ superseded: r.superseded, jobState: states[i]!, effectDone: done.has(r.id) }),
    );
  }

  /** Ids of the rows whose effect is there, asking each job name's handler once. */
  private async effectsDone(rows: UnsettledOutboxRow[]): Promise<Set<string>> {
    const byName = new Map<JobName, UnsettledOutboxRow[]>();
    for (const r of rows) byName.set(r.job_name, [...(byName.get(r.job_name) ?? []), r]);
    const done = new Set<string>();
    for (const [name, group] of byName) {
      const answers = await this.handlers.alreadyDone(
        name,
        group.map((r) => r.payload),
      );
      group.forEach((r, i) => answers[i] && done.add(r.id));
    }
    return done;
  }

  private async apply(tx: Tx, rows: UnsettledOutboxRow[], decisions: Reconciliation[]): Promise<void> {
    const requeue = rows.filter((_, i) => decisions[i]!.action === 'requeue');
    await this.jobs.enqueueMany(requeue.map((r) => ({ name: r.job_name, payload: r.payload, jobId: r.job_id })));
    const settled = rows.flatMap((r, i) => {
      const d = decisions[i]!;
      return d.action === 'settle' ? [{ id: r.id, outcome: d.outcome }] : [];
    });
    await this.messages.settle(tx, settled);
  }
}
