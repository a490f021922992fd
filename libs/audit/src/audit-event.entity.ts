import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One change of a technical record (ISO/IEC 17025 7.5, 7.11): who, when, what, before/after, why.
 * Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE on this table, and the
 * application's role has only INSERT and SELECT on it. Tamper-evident: an insert trigger gives each
 * entry its id in commit order and chains it to the entry before (prevHash, hash); see audit-chain.ts.
 */
@Entity({ name: 'audit_event' })
@Unique('UQ_audit_event_prev_hash', ['prevHash'])
@Index('IDX_audit_event_entity', ['entity', 'entityId', 'id'])
@Index('IDX_audit_event_actor', ['actorId', 'id'])
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

  /** Set by the database (trigger audit_event_chain), never by the application. */
  @Column({ name: 'prev_hash', type: 'text', insert: false, update: false })
  prevHash!: string;

  /** SHA-256 (hex) of the entry's canonical content and prevHash: audit_event_hash() in SQL. */
  @Column({ type: 'text', insert: false, update: false })
  hash!: string;
}
