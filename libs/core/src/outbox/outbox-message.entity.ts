import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job to enqueue, written in the same transaction as the change that calls for it (transactional
 * outbox): the job exists if and only if the change committed. The dispatcher moves it to BullMQ.
 */
@Entity({ name: 'outbox_message' })
@Index('IDX_outbox_message_pending', ['id'], { where: '"dispatched_at" IS NULL' })
@Index('IDX_outbox_message_unsettled', ['id'], { where: '"dispatched_at" IS NOT NULL AND "settled_at" IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** Deterministic BullMQ job id: enqueuing twice is a no-op. */
  @Index('IDX_outbox_message_job_id')
  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  /** When the reconciliation saw the job finished or its effect done; until then a lost job is enqueued again. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** How it settled (see OutboxOutcome). */
  @Column({ type: 'text', nullable: true })
  outcome!: OutboxOutcome | null;
}

/**
 * done: the effect is in the database; completed / failed: the queue finished the job (failed for
 * good: an admin retries, e.g. POST /certificate-issues/{id}/retry); superseded: a newer message has
 * the same job id.
 */
export type OutboxOutcome = 'done' | 'completed' | 'failed' | 'superseded';
