import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The records a batch entry names (its `after.recordIds`, covered by the entry's hash), one row each:
 * how GET /audit?id= finds a batch entry by one of them. A GIN index on the entry's array was
 * measured instead: ≈ 80 s to insert one entry naming 50,000 records (each key goes into the index
 * alone), against a fraction of a second for these rows. Append-only like the entries.
 */
@Entity({ name: 'audit_event_record' })
export class AuditEventRecord {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'PK_audit_event_record' })
  recordId!: string;

  /** The batch entry's `entity_id`. */
  @PrimaryColumn({ name: 'entity_id', type: 'text', primaryKeyConstraintName: 'PK_audit_event_record' })
  entityId!: string;
}
