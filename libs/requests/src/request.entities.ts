import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { StaffUser } from '#libs/auth';
import { Instrument, InstrumentType, Organization, type ServiceKind } from '#libs/registry';
import type { DecisionRule } from '#libs/uncertainty';
import type { ItemStatus, RequestStatus } from './workflow.js';

/** Where the work is done: in the centre's laboratory, or at the customer's site (tại hiện trường). */
export const PLACES = ['lab', 'on_site'] as const;
export type Place = (typeof PLACES)[number];

/** ILAC-G8 decision rules a customer may ask for with a conformity statement on a calibration. */
export const DECISION_RULES = ['simple', 'guarded'] as const satisfies readonly DecisionRule['kind'][];
export type DecisionRuleKind = (typeof DECISION_RULES)[number];

/**
 * What an item is about: an instrument (verification, calibration) or a test sample (testing), whose
 * own data lives in the testing library (`test_sample`, keyed by the item). This library knows only
 * the kind: instrument columns are null for a sample, and `testing` is a sample's service only.
 */
export const SUBJECT_KINDS = ['instrument', 'sample'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

const ITEM_STATUS_SQL = `'submitted', 'accepted', 'rejected', 'scheduled', 'received', 'in_progress', 'results_approved', 'certificate_issued', 'returned', 'closed', 'cancelled'`;
const REQUEST_STATUS_SQL = `'submitted', 'accepted', 'scheduled', 'in_progress', 'completed', 'rejected', 'cancelled'`;

/** The last request number given out in a year (the series `request`); see core's takeNextInSeries. */
@Entity({ name: 'request_series' })
@Check('CHK_request_series_last', `"last" >= 0`)
export class RequestSeries {
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  last!: number;
}

/**
 * A service request (yêu cầu dịch vụ / phiếu yêu cầu): what a customer asks the centre to verify,
 * calibrate or test. Its status is derived from its items' (workflow.ts), stored for lists and filters.
 */
@Entity({ name: 'service_request' })
// Number search (folded with lims_fold()): expression indexes created in the migration.
@Index('IDX_service_request_number_fold', { synchronize: false })
@Index('IDX_service_request_number_trgm', { synchronize: false })
@Index('IDX_service_request_created', ['createdAt', 'id'])
@Index('IDX_service_request_organization', ['organizationId', 'createdAt', 'id'])
@Index('IDX_service_request_status', ['status', 'createdAt', 'id'])
@Check('CHK_service_request_status', `"status" IN (${REQUEST_STATUS_SQL})`)
@Check('CHK_service_request_place', `"place" IN ('lab', 'on_site')`)
@Check('CHK_service_request_site_address', `"place" <> 'on_site' OR "site_address" IS NOT NULL`)
@Check('CHK_service_request_submitted_by', `"submitted_by_kind" IN ('business', 'staff')`)
export class ServiceRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** YC-2026-000123: gapless per year (request-number.ts), what people read and search by. */
  @Index('UQ_service_request_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Column({ type: 'text', default: 'submitted' })
  status!: RequestStatus;

  @Column({ type: 'text' })
  place!: Place;

  @Column({ name: 'site_address', type: 'text', nullable: true })
  siteAddress!: string | null;

  @Column({ name: 'preferred_date', type: 'date', nullable: true })
  preferredDate!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'item_count', type: 'integer' })
  itemCount!: number;

  /** business: through an API key (submitted_by_id is the key's id); staff: reception for a walk-in customer. */
  @Column({ name: 'submitted_by_kind', type: 'text' })
  submittedByKind!: 'business' | 'staff';

  @Column({ name: 'submitted_by_id', type: 'text' })
  submittedById!: string;

  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt!: Date;

  /** Millisecond precision, as a JS Date holds it: the list's cursor carries it exactly. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One instrument or test sample of a request and the one service asked for it; it moves through the
 * item workflow.
 */
@Entity({ name: 'request_item' })
@Index('UQ_request_item_ordinal', ['requestId', 'ordinal'], { unique: true })
// Partial: an item has a label only from receipt, a technician only from scheduling; a new request's
// thousands of items then write no entries in these two indexes.
@Index('UQ_request_item_label', ['labelId'], { unique: true, where: '"label_id" IS NOT NULL' })
@Index('IDX_request_item_instrument', ['instrumentId'])
@Index('IDX_request_item_work_list', ['technicianId', 'scheduledDate', 'id'], { where: '"technician_id" IS NOT NULL' })
@Check('CHK_request_item_status', `"status" IN (${ITEM_STATUS_SQL})`)
@Check(
  'CHK_request_item_service',
  `"service" IN ('verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration', 'testing')`,
)
@Check(
  'CHK_request_item_conformity',
  `("conformity_statement_requested" AND "service" = 'calibration' AND "decision_rule" IN ('simple', 'guarded')) OR (NOT "conformity_statement_requested" AND "decision_rule" IS NULL)`,
)
@Check('CHK_request_item_subject_kind', `"subject_kind" IN ('instrument', 'sample')`)
@Check(
  'CHK_request_item_subject',
  `("subject_kind" = 'instrument' AND "instrument_id" IS NOT NULL AND "instrument_type_id" IS NOT NULL AND "service" <> 'testing') OR ("subject_kind" = 'sample' AND "instrument_id" IS NULL AND "instrument_type_id" IS NULL AND "service" = 'testing')`,
)
@Check('CHK_request_item_scheduled', `("technician_id" IS NULL) = ("scheduled_date" IS NULL)`)
export class RequestItem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ServiceRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: ServiceRequest;

  /** Position in the request as submitted, from 0: what errors and the customer's own lists refer to. */
  @Column({ type: 'integer' })
  ordinal!: number;

  @Column({ name: 'subject_kind', type: 'text', default: 'instrument' })
  subjectKind!: SubjectKind;

  /** null for a sample. */
  @Column({ name: 'instrument_id', type: 'uuid', nullable: true })
  instrumentId!: string | null;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  /** The instrument's type (which never changes), kept here for contract review and authorisation checks. */
  @Column({ name: 'instrument_type_id', type: 'uuid', nullable: true })
  instrumentTypeId!: string | null;

  @ManyToOne(() => InstrumentType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text' })
  service!: ServiceKind;

  /** Calibration only: the customer asks for a statement of conformity (ILAC-G8), under decisionRule. */
  @Column({ name: 'conformity_statement_requested', type: 'boolean', default: false })
  conformityStatementRequested!: boolean;

  @Column({ name: 'decision_rule', type: 'text', nullable: true })
  decisionRule!: DecisionRuleKind | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'text', default: 'submitted' })
  status!: ItemStatus;

  /** Why it was last rejected or cancelled. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'technician_id', type: 'uuid', nullable: true })
  technicianId!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'technician_id' })
  technician?: StaffUser | null;

  @Column({ name: 'scheduled_date', type: 'date', nullable: true })
  scheduledDate!: string | null;

  /** The centre's label put on the instrument or sample at receipt (mã nhận dạng mẫu; a sample's code); unique across the centre. */
  @Column({ name: 'label_id', type: 'text', nullable: true })
  labelId!: string | null;

  @Column({ name: 'condition_on_receipt', type: 'text', nullable: true })
  conditionOnReceipt!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * Every status change of a request or of one of its items: who, when, from, to, why. Append-only
 * (a trigger refuses UPDATE, DELETE and TRUNCATE). item_id null: the request's own (derived) status.
 */
@Entity({ name: 'request_history' })
@Index('IDX_request_history_request', ['requestId', 'id'])
@Index('IDX_request_history_item', ['itemId', 'id'])
export class RequestHistoryEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ServiceRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: ServiceRequest;

  @Column({ name: 'item_id', type: 'uuid', nullable: true })
  itemId!: string | null;

  @ManyToOne(() => RequestItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'item_id' })
  item?: RequestItem | null;

  /** null when the request was created. */
  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** What came with the change: technician and date, label and condition, contract-review findings. */
  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  /** staff | business | system */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
