import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job to enqueue, written in the same transaction as the change that calls for it (transactional
 * outbox): the job exists if and only if the change committed. The dispatcher moves it to BullMQ.
 */
@Entity({ name: 'outbox_message' })
@Index('IDX_outbox_message_pending', ['id'], { where: '"dispatched_at" IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** Deterministic BullMQ job id: enqueuing twice is a no-op. */
  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;
}
