import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { JobName, JobPayloads } from '../queue/jobs.js';
import type { Tx } from '../unit-of-work/unit-of-work.js';
import type { OutboxOutcome } from './outbox-message.entity.js';

/** A message as the flush and the reconciliation read it. */
export interface OutboxRow {
  id: string;
  job_name: JobName;
  job_id: string;
  payload: JobPayloads[JobName];
}

/** A dispatched, unsettled message, and whether a newer message asks for the same job. */
export interface UnsettledOutboxRow extends OutboxRow {
  superseded: boolean;
}

/**
 * The raw SQL of the transactional outbox (`outbox_message`): the flush, the reconciliation and the
 * status reads. Methods inside a transaction take `tx` first.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether a job is written and not yet moved to the queue (in `tx`, if given). */
  async isPending(tx: Tx | undefined, jobId: string): Promise<boolean> {
    const rows = (await (tx?.manager ?? this.db.manager).query(
      `SELECT 1 FROM outbox_message WHERE job_id = $1 AND dispatched_at IS NULL LIMIT 1`,
      [jobId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The newest message with this job id: whether it was dispatched, and how it was settled. */
  async latest(jobId: string): Promise<{ dispatched: boolean; outcome: OutboxOutcome | null } | undefined> {
    const [row] = (await this.db.query(
      `SELECT dispatched_at IS NOT NULL AS dispatched, outcome FROM outbox_message
        WHERE job_id = $1 ORDER BY id DESC LIMIT 1`,
      [jobId],
    )) as { dispatched: boolean; outcome: OutboxOutcome | null }[];
    return row;
  }

  /** Up to `limit` undispatched messages, oldest first, locked (others skip them) until `tx` ends. */
  claimUndispatched(tx: Tx, limit: number): Promise<OutboxRow[]> {
    return tx.manager.query(
      `SELECT id, job_name, job_id, payload FROM outbox_message WHERE dispatched_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    ) as Promise<OutboxRow[]>;
  }

  async markDispatched(tx: Tx, ids: string[]): Promise<void> {
    await tx.manager.query(`UPDATE outbox_message SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Up to `limit` dispatched, unsettled messages after `after`, oldest first, locked until `tx` ends. */
  claimUnsettled(tx: Tx, after: string, limit: number): Promise<UnsettledOutboxRow[]> {
    return tx.manager.query(
      `SELECT o.id, o.job_name, o.job_id, o.payload,
              EXISTS (SELECT 1 FROM outbox_message n WHERE n.job_id = o.job_id AND n.id > o.id) AS superseded
         FROM outbox_message o
        WHERE o.dispatched_at IS NOT NULL AND o.settled_at IS NULL AND o.id > $1
        ORDER BY o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED`,
      [after, limit],
    ) as Promise<UnsettledOutboxRow[]>;
  }

  async settle(tx: Tx, settled: { id: string; outcome: OutboxOutcome }[]): Promise<void> {
    if (settled.length === 0) return;
    await tx.manager.query(
      `UPDATE outbox_message o SET settled_at = now(), outcome = s.outcome
         FROM unnest($1::bigint[], $2::text[]) AS s(id, outcome) WHERE o.id = s.id`,
      [settled.map((s) => s.id), settled.map((s) => s.outcome)],
    );
  }

  /**
   * Deletes up to `limit` rows settled more than `days` days ago whose outcome makes them dead weight:
   * `done` (the effect is in the database) and `superseded` (a newer row asks for the job). Returns
   * how many it deleted.
   */
  async pruneSettled(days: number, limit: number): Promise<number> {
    const [, count] = (await this.db.query(
      `DELETE FROM outbox_message WHERE id IN (
         SELECT id FROM outbox_message
          WHERE settled_at < now() - make_interval(days => $1) AND outcome IN ('done', 'superseded')
          ORDER BY id LIMIT $2)`,
      [days, limit],
    )) as [unknown, number];
    return count;
  }
}
