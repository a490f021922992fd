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
} from 'typeorm';

/** The recall periods: due in at most 60, 30 or 7 days, or overdue (recall-period.ts). */
export const RECALL_PERIODS = ['due_60', 'due_30', 'due_7', 'overdue'] as const;
export type RecallPeriod = (typeof RECALL_PERIODS)[number];

/** What falls due: the legal verification (next due date) or the calibration the customer asked to be recalled for. */
export const RECALL_SERVICES = ['verification', 'calibration'] as const;
export type RecallService = (typeof RECALL_SERVICES)[number];

export const NOTICE_KINDS = ['recall', 'out_of_tolerance'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const EMAIL_STATES = ['pending', 'sent', 'logged', 'failed'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

export const FINDING_SOURCES = ['intermediate_check', 'calibration'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const CERTIFICATE_DECISIONS = ['no_impact', 'recall', 'reissue'] as const;
export type CertificateDecision = (typeof CERTIFICATE_DECISIONS)[number];

/** An organization's choice about notices (absent row: it receives them). */
@Entity({ name: 'notice_preference' })
export class NoticePreference {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  /** false: the organization opted out of recall notices (e-mail and instrument.due webhook). */
  @Column({ name: 'recall_notices', type: 'boolean' })
  recallNotices!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A standard found out of tolerance, and the period of work it puts in doubt. */
@Entity({ name: 'standard_finding' })
@Index('IDX_standard_finding_standard', ['standardId', 'foundOn'])
@Index('UQ_standard_finding_evidence', ['evidenceId'], { unique: true })
@Check('CHK_standard_finding_source', `"source" IN ('intermediate_check', 'calibration')`)
@Check('CHK_standard_finding_period', `"period_from" IS NULL OR "period_from" <= "found_on"`)
export class StandardFinding {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'standard_id', type: 'uuid' })
  standardId!: string;

  @Column({ type: 'text' })
  source!: FindingSource;

  /** The failed intermediate check, or the calibration that found the standard out of tolerance. */
  @Column({ name: 'evidence_id', type: 'uuid' })
  evidenceId!: string;

  @Column({ name: 'found_on', type: 'date' })
  foundOn!: string;

  /** The last good check or calibration before the finding (null: none, all its uses are in doubt). */
  @Column({ name: 'period_from', type: 'date', nullable: true })
  periodFrom!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One notice to one organization: a recall (one period) or an out-of-tolerance standard (one finding). */
@Entity({ name: 'notice' })
@Index('IDX_notice_organization', ['organizationId', 'createdAt', 'id'])
@Index('IDX_notice_created', ['createdAt', 'id'])
// One notice per customer per finding: the database refuses a second.
@Index('UQ_notice_finding_organization', ['findingId', 'organizationId'], {
  unique: true,
  where: '"finding_id" IS NOT NULL',
})
@Check('CHK_notice_kind', `"kind" IN ('recall', 'out_of_tolerance')`)
@Check(
  'CHK_notice_shape',
  `("kind" = 'recall' AND "period" IS NOT NULL AND "finding_id" IS NULL) OR ("kind" = 'out_of_tolerance' AND "period" IS NULL AND "finding_id" IS NOT NULL)`,
)
export class Notice {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: NoticeKind;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'text', nullable: true })
  period!: RecallPeriod | null;

  @Column({ name: 'finding_id', type: 'uuid', nullable: true })
  findingId!: string | null;

  @ManyToOne(() => StandardFinding, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'FK_notice_finding' })
  finding?: StandardFinding;

  /** What the notice says, as sent (instruments or certificates), for the log and the webhook. */
  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  /** How many webhook deliveries were queued with it. */
  @Column({ name: 'webhook_deliveries', type: 'int' })
  webhookDeliveries!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}

/**
 * The instrument was named in a recall notice for this service, due date and period. The primary key
 * is the rule "never twice for the same instrument, service and period" (a new due date starts over).
 */
@Entity({ name: 'recall_notice_item' })
@Index('IDX_recall_notice_item_notice', ['noticeId'])
@Check('CHK_recall_notice_item_service', `"service" IN ('verification', 'calibration')`)
export class RecallNoticeItem {
  @PrimaryColumn({ name: 'instrument_id', type: 'uuid' })
  instrumentId!: string;

  @PrimaryColumn({ type: 'text' })
  service!: RecallService;

  @PrimaryColumn({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @PrimaryColumn({ type: 'text' })
  period!: RecallPeriod;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId!: string;

  @ManyToOne(() => Notice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_recall_notice_item_notice' })
  notice?: Notice;
}

/** One e-mail of a notice and its delivery log (like the webhooks' one). */
@Entity({ name: 'email_delivery' })
@Index('IDX_email_delivery_notice', ['noticeId'])
@Check('CHK_email_delivery_state', `"state" IN ('pending', 'sent', 'logged', 'failed')`)
export class EmailDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId!: string;

  @ManyToOne(() => Notice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_email_delivery_notice' })
  notice?: Notice;

  @Column({ type: 'text', array: true })
  recipients!: string[];

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  /** pending; sent (accepted by the SMTP server); logged (no SMTP_URL: written to the log); failed. */
  @Column({ type: 'text', default: 'pending' })
  state!: EmailState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** When the queue retries a failed attempt (null once settled). */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** A category in our words (`smtp_550`, `connection_refused`, `no_recipient`, …). */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;
}

/** A certificate issued with the standard in the doubtful period, and the centre's decision on it. */
@Entity({ name: 'finding_certificate' })
@Index('IDX_finding_certificate_organization', ['findingId', 'organizationId'])
@Check('CHK_finding_certificate_decision', `"decision" IS NULL OR "decision" IN ('no_impact', 'recall', 'reissue')`)
export class FindingCertificate {
  @PrimaryColumn({ name: 'finding_id', type: 'uuid' })
  findingId!: string;

  @ManyToOne(() => StandardFinding, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'FK_finding_certificate_finding' })
  finding?: StandardFinding;

  @PrimaryColumn({ name: 'certificate_id', type: 'uuid' })
  certificateId!: string;

  @Column({ name: 'certificate_number', type: 'text' })
  certificateNumber!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'measurement_date', type: 'date' })
  measurementDate!: string;

  @Column({ type: 'text', nullable: true })
  decision!: CertificateDecision | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote!: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
