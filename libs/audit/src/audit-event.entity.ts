import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change of a technical record (ISO/IEC 17025 7.5, 7.11): who, when, what, before/after, why.
 * Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE on this table.
 */
@Entity({ name: 'audit_event' })
@Index('IDX_audit_event_entity', ['entity', 'entityId', 'id'])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** staff | business | system */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'text', nullable: true })
  actorName!: string | null;

  /** e.g. `calibration_result`, `instrument`, `certificate` */
  @Column({ type: 'text' })
  entity!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  /** e.g. `create`, `revise`, `approve`, `revoke` */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
