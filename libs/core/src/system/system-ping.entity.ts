import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A queue round trip, kept so an operator can see when the worker last answered. */
@Entity({ name: 'system_ping' })
export class SystemPing {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;

  /** host:pid of the worker that processed it. */
  @Column({ name: 'processed_by', type: 'text', nullable: true })
  processedBy!: string | null;
}
