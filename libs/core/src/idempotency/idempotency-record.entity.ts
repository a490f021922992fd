import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One Idempotency-Key as used by one caller: the request it came with and the first answer given. */
@Entity({ name: 'idempotency_record' })
@Index('IDX_idempotency_record_expires_at', ['expiresAt'])
export class IdempotencyRecord {
  /** The caller (staff user, API key or "anonymous") and the key, so two callers never share a key. */
  @PrimaryColumn({ name: 'scope', type: 'text' })
  scope!: string;

  @PrimaryColumn({ name: 'key', type: 'text' })
  key!: string;

  @Column({ name: 'method', type: 'text' })
  method!: string;

  @Column({ name: 'path', type: 'text' })
  path!: string;

  /** SHA-256 of method, path and canonical JSON body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'state', type: 'text' })
  state!: 'in_progress' | 'completed';

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  /** json, not jsonb: the body as sent, replayed byte for byte (migration IdempotencyResponseText). */
  @Column({ name: 'response_body', type: 'json', nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
