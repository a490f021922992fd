import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CertificateKind, CertificateModel, ConformityDecision } from '#libs/documents';
import { Instrument, Organization, type ServiceKind } from '#libs/registry';

/**
 * The last number given out in one series (kind × year). Numbers are taken with
 * `UPDATE … SET last = last + 1 RETURNING last` in the transaction that commits the certificate:
 * the row lock makes issuers of one series wait for each other, and a rollback gives the number back.
 */
@Entity({ name: 'certificate_series' })
@Check(
  'CHK_certificate_series_kind',
  `"kind" IN ('verification', 'calibration', 'test_report', 'verification_failure', 'stamp')`,
)
@Check('CHK_certificate_series_last', `"last" >= 0`)
export class CertificateSeries {
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  last!: number;
}

/**
 * An issued certificate (giấy chứng nhận kiểm định / hiệu chuẩn, phiếu kết quả thử nghiệm). Written
 * once, with its signed PDF already stored; a database trigger refuses any later change except
 * recording its revocation, once. An amendment is a new row naming this one in `replaces_id`.
 * The columns about the item, owner and laboratory are a snapshot of what was printed.
 */
@Entity({ name: 'certificate' })
// Number search (folded with lims_fold(): "KD" finds "KĐ"): expression indexes created in the migration.
@Index('IDX_certificate_number_fold', { synchronize: false })
@Index('IDX_certificate_number_trgm', { synchronize: false })
// The national export's change order, (coalesce(revoked_at, issued_at), id): created in the migration.
@Index('IDX_certificate_changed', { synchronize: false })
@Index('UQ_certificate_number', ['number'], { unique: true })
@Index('UQ_certificate_sequence', ['kind', 'year', 'sequence'], { unique: true })
// One approved result revision gives exactly one original certificate (amendments may re-issue it).
@Index('UQ_certificate_result_revision', ['resultRevisionId'], { unique: true, where: '"replaces_id" IS NULL' })
@Index('IDX_certificate_result_revision', ['resultRevisionId'])
@Index('IDX_certificate_result', ['resultId'])
@Index('UQ_certificate_replaces', ['replacesId'], { unique: true })
@Index('UQ_certificate_sha256', ['sha256'], { unique: true })
@Index('IDX_certificate_organization', ['organizationId', 'issuedAt', 'id'])
@Index('IDX_certificate_issued', ['issuedAt', 'id'])
@Index('IDX_certificate_instrument', ['instrumentId'])
@Index('IDX_certificate_request_item', ['requestItemId'])
@Check('CHK_certificate_kind', `"kind" IN ('verification', 'calibration', 'test_report', 'verification_failure')`)
@Check(
  'CHK_certificate_outcome',
  `"outcome" IS NULL OR "outcome" IN ('pass', 'fail', 'conditional_pass', 'conditional_fail')`,
)
@Check('CHK_certificate_sha256', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check('CHK_certificate_amendment', `("replaces_id" IS NULL) = ("amendment_reason" IS NULL)`)
@Check(
  'CHK_certificate_revocation',
  `("revoked_at" IS NULL) = ("revocation_reason" IS NULL) AND ("revoked_at" IS NULL) = ("revoked_by" IS NULL)`,
)
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  kind!: CertificateKind;

  /** Series year and sequence the number was made from. */
  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ name: 'result_revision_id', type: 'uuid' })
  resultRevisionId!: string;

  /** The result across its revisions: a later approved revision of it amends this certificate. */
  @Column({ name: 'result_id', type: 'uuid' })
  resultId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** Null for a test report on a sample rather than a registered instrument. */
  @Column({ name: 'instrument_id', type: 'uuid', nullable: true })
  instrumentId!: string | null;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ name: 'request_item_id', type: 'uuid', nullable: true })
  requestItemId!: string | null;

  @Column({ type: 'text' })
  service!: ServiceKind;

  /** The overall conformity decision printed, if one was made. */
  @Column({ type: 'text', nullable: true })
  outcome!: ConformityDecision | null;

  @Column({ name: 'measurement_date', type: 'date' })
  measurementDate!: string;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate!: string;

  /** Verification that passed: valid until the instrument's next due date. */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;

  @Column({ name: 'item_type_name', type: 'text' })
  itemTypeName!: string;

  @Column({ name: 'item_serial', type: 'text' })
  itemSerial!: string;

  /** The item's owner as printed (the customer unless another owner is named). */
  @Column({ name: 'owner_name', type: 'text' })
  ownerName!: string;

  @Column({ name: 'laboratory_name', type: 'text' })
  laboratoryName!: string;

  /** Everything printed, as given to the renderer (not loaded unless asked for: lists do not need it). */
  @Column({ type: 'jsonb', select: false })
  model!: CertificateModel;

  /** SHA-256 of the signed PDF, hex: the file's identity in storage and for the public check. */
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @Column({ name: 'byte_size', type: 'integer' })
  byteSize!: number;

  /** SHA-256 of the signing certificate, hex. */
  @Column({ name: 'signer_fingerprint', type: 'text' })
  signerFingerprint!: string;

  @Column({ name: 'replaces_id', type: 'uuid', nullable: true })
  replacesId!: string | null;

  // ManyToOne, not OneToOne: TypeORM would add a unique constraint of its own beside UQ_certificate_replaces.
  @ManyToOne(() => Certificate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'replaces_id' })
  replaces?: Certificate | null;

  @Column({ name: 'amendment_reason', type: 'text', nullable: true })
  amendmentReason!: string | null;

  /** Who caused the issue: the staff member amending, or null for the queue after approval. */
  @Column({ name: 'issued_by', type: 'uuid', nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'issued_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  issuedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason!: string | null;

  /**
   * Withheld from the owner (an inspector's sample whose results are not released yet: the draft
   * said so at issue): the owner's reads do not find it and its `certificate.issued` webhook waits.
   * The release clears it, once (the trigger refuses setting it again); staff and the public lookup
   * by number always see the certificate.
   */
  @Column({ name: 'withheld_from_owner', type: 'boolean', default: false })
  withheldFromOwner!: boolean;
}

/**
 * A request item whose documents were released to their owner (libs/testing's release of an
 * inspector's sample, through the `certificate.release_to_owner` job). A certificate issued for the
 * item afterwards is not withheld, whatever the draft said when it was loaded: issuing and the
 * release serialise on the item (an advisory lock) and read this row.
 */
@Entity({ name: 'certificate_owner_release' })
export class CertificateOwnerRelease {
  @PrimaryColumn({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @Column({ name: 'released_at', type: 'timestamptz', default: () => 'now()' })
  releasedAt!: Date;
}

/**
 * A verification stamp (tem kiểm định) fixed to an instrument that passed, serial from the stamp
 * series of the year, bound to the certificate issued with it. Its status is its certificate's.
 */
@Entity({ name: 'verification_stamp' })
@Index('UQ_verification_stamp_serial', ['serial'], { unique: true })
@Index('UQ_verification_stamp_sequence', ['year', 'sequence'], { unique: true })
@Index('UQ_verification_stamp_certificate', ['certificateId'], { unique: true })
@Index('IDX_verification_stamp_instrument', ['instrumentId'])
export class VerificationStamp {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  serial!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ name: 'certificate_id', type: 'uuid' })
  certificateId!: string;

  @ManyToOne(() => Certificate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'certificate_id' })
  certificate?: Certificate;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId!: string;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ name: 'valid_until', type: 'date' })
  validUntil!: string;

  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' })
  issuedAt!: Date;
}
