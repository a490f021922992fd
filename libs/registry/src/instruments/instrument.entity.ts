import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { InstrumentType, type ServiceKind } from '../instrument-types/instrument-type.entity.js';

export const INSTRUMENT_STATUSES = ['in_service', 'out_of_service', 'scrapped'] as const;
export type InstrumentStatus = (typeof INSTRUMENT_STATUSES)[number];

export const SERVICE_RESULTS = ['pass', 'fail'] as const;
export type ServiceResult = (typeof SERVICE_RESULTS)[number];

/** Rows the due list can return: in service and with a due date. The due-list indexes are partial on this. */
export const DUE_LIST_PREDICATE = `"status" = 'in_service' AND "next_due_date" IS NOT NULL`;

/** Rows the calibration due list (and the recall scan) can return: in service with a next calibration date. */
export const CALIBRATION_DUE_PREDICATE = `"status" = 'in_service' AND "next_calibration_date" IS NOT NULL`;

/**
 * A measuring instrument of a customer (phương tiện đo). The last service and the next due date are
 * derived from its service history (InstrumentServiceRecord) and stored, so the due list is one
 * index range scan.
 */
@Entity({ name: 'instrument' })
@Index('UQ_instrument_identity', ['ownerId', 'instrumentTypeId', 'manufacturer', 'serialNumber'], { unique: true })
@Index('IDX_instrument_type', ['instrumentTypeId'])
@Index('IDX_instrument_serial', ['serialNumber', 'id'])
// Search (folded with lims_fold(): case and diacritics): expression indexes TypeORM cannot declare; created in the migration.
@Index('IDX_instrument_serial_fold', { synchronize: false })
@Index('IDX_instrument_serial_trgm', { synchronize: false })
@Index('IDX_instrument_label_code_fold', { synchronize: false })
@Index('IDX_instrument_label_code_trgm', { synchronize: false })
// The due list: one partial index per way of filtering it, each ending in the page order (next_due_date, id).
@Index('IDX_instrument_due', ['nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
@Index('IDX_instrument_due_type', ['instrumentTypeId', 'nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
@Index('IDX_instrument_due_owner', ['ownerId', 'nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
@Index('IDX_instrument_due_district', ['district', 'nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
// Type and district together (fuel dispensers of one district): without it the planner ANDs two bitmaps.
@Index('IDX_instrument_due_type_district', ['instrumentTypeId', 'district', 'nextDueDate', 'id'], {
  where: DUE_LIST_PREDICATE,
})
// The current administrative units (two tiers since 1 July 2025): what the due list groups and filters by now.
@Index('IDX_instrument_due_province', ['provinceUnitId', 'nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
@Index('IDX_instrument_due_commune', ['communeUnitId', 'nextDueDate', 'id'], { where: DUE_LIST_PREDICATE })
@Index('IDX_instrument_due_type_commune', ['instrumentTypeId', 'communeUnitId', 'nextDueDate', 'id'], {
  where: DUE_LIST_PREDICATE,
})
@Index('IDX_instrument_calibration_due', ['nextCalibrationDate', 'id'], { where: CALIBRATION_DUE_PREDICATE })
@Check(
  'CHK_instrument_calibration_interval',
  `"calibration_interval_months" IS NULL OR "calibration_interval_months" BETWEEN 1 AND 120`,
)
@Check('CHK_instrument_status', `"status" IN ('in_service', 'out_of_service', 'scrapped')`)
@Check('CHK_instrument_last_result', `"last_result" IS NULL OR "last_result" IN ('pass', 'fail')`)
export class Instrument {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Organization;

  @Column({ name: 'instrument_type_id', type: 'uuid' })
  instrumentTypeId!: string;

  @ManyToOne(() => InstrumentType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text' })
  manufacturer!: string;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  /** The centre's own label code (mã tem/nhãn của Trung tâm), set by staff; unique, searchable. */
  @Index('UQ_instrument_label_code', { unique: true, where: '"label_code" IS NOT NULL' })
  @Column({ name: 'label_code', type: 'text', nullable: true })
  labelCode!: string | null;

  @Column({ name: 'serial_number', type: 'text' })
  serialNumber!: string;

  /** cấp chính xác */
  @Column({ name: 'accuracy_class', type: 'text', nullable: true })
  accuracyClass!: string | null;

  @Column({ name: 'range_min', type: 'numeric', nullable: true })
  rangeMin!: string | null;

  @Column({ name: 'range_max', type: 'numeric', nullable: true })
  rangeMax!: string | null;

  @Column({ name: 'range_unit', type: 'text', nullable: true })
  rangeUnit!: string | null;

  /** độ phân giải / giá trị độ chia */
  @Column({ type: 'numeric', nullable: true })
  resolution!: string | null;

  /** Unit of the resolution and of the verification scale interval. */
  @Column({ name: 'resolution_unit', type: 'text', nullable: true })
  resolutionUnit!: string | null;

  /** giá trị độ chia kiểm e (scales, OIML R76), in resolutionUnit. */
  @Column({ name: 'scale_interval', type: 'numeric', nullable: true })
  scaleInterval!: string | null;

  /** Place of use: a site name for fixed installations (a fuel station), and/or an address. */
  @Column({ name: 'site_name', type: 'text', nullable: true })
  siteName!: string | null;

  @Column({ name: 'street_address', type: 'text', nullable: true })
  streetAddress!: string | null;

  @Column({ type: 'text', nullable: true })
  province!: string | null;

  /** The place of use's district as given; `district` below is what the due list filters on. */
  @Column({ name: 'place_district', type: 'text', nullable: true })
  placeDistrict!: string | null;

  @Column({ type: 'text', nullable: true })
  ward!: string | null;

  /** Where a recall visit went before 1 July 2025: the place of use's district, else the owner's. History only. */
  @Column({ type: 'text', nullable: true })
  district!: string | null;

  /** The place of use's province and commune as given (admin_unit references). */
  @Column({ name: 'place_province_unit_id', type: 'uuid', nullable: true })
  placeProvinceUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'place_province_unit_id', foreignKeyConstraintName: 'FK_instrument_place_province_unit' })
  placeProvinceUnit?: AdminUnit;

  @Column({ name: 'place_commune_unit_id', type: 'uuid', nullable: true })
  placeCommuneUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'place_commune_unit_id', foreignKeyConstraintName: 'FK_instrument_place_commune_unit' })
  placeCommuneUnit?: AdminUnit;

  /**
   * Where a recall visit goes now: the place of use's province and commune, else the owner's (copied
   * when set, like `district`). The due list filters on these; retiring a unit moves them to its successor.
   */
  @Column({ name: 'province_unit_id', type: 'uuid', nullable: true })
  provinceUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_unit_id', foreignKeyConstraintName: 'FK_instrument_province_unit' })
  provinceUnit?: AdminUnit;

  @Column({ name: 'commune_unit_id', type: 'uuid', nullable: true })
  communeUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_unit_id', foreignKeyConstraintName: 'FK_instrument_commune_unit' })
  communeUnit?: AdminUnit;

  @Column({ type: 'text', default: 'in_service' })
  status!: InstrumentStatus;

  /** The latest service of any kind (by date). */
  @Column({ name: 'last_service', type: 'text', nullable: true })
  lastService!: ServiceKind | null;

  @Column({ name: 'last_service_date', type: 'date', nullable: true })
  lastServiceDate!: string | null;

  @Column({ name: 'last_result', type: 'text', nullable: true })
  lastResult!: ServiceResult | null;

  @Column({ name: 'last_certificate_number', type: 'text', nullable: true })
  lastCertificateNumber!: string | null;

  /** The latest verification (any kind): what the next due date is derived from. */
  @Column({ name: 'last_verification_date', type: 'date', nullable: true })
  lastVerificationDate!: string | null;

  @Column({ name: 'last_verification_passed', type: 'boolean', nullable: true })
  lastVerificationPassed!: boolean | null;

  /**
   * The latest verification's certificate was revoked on this date (thu hồi): the instrument is
   * unverified from then, and this date is its next due date (next-due.ts). Null otherwise.
   */
  @Column({ name: 'last_verification_revoked_on', type: 'date', nullable: true })
  lastVerificationRevokedOn!: string | null;

  /** Next periodic verification: last passing verification + the cycle in force on its date. */
  @Column({ name: 'next_due_date', type: 'date', nullable: true })
  nextDueDate!: string | null;

  /**
   * The calibration interval the customer chose, in months (ISO/IEC 17025 7.8.4.3: the laboratory
   * recommends none unless agreed with the customer; there is no legal one). Null: no calibration recall.
   */
  @Column({ name: 'calibration_interval_months', type: 'smallint', nullable: true })
  calibrationIntervalMonths!: number | null;

  /** The latest calibration whose certificate is not revoked: what the next calibration date is derived from. */
  @Column({ name: 'last_calibration_date', type: 'date', nullable: true })
  lastCalibrationDate!: string | null;

  /** Next calibration: the last calibration + the customer's interval (NEXT_CALIBRATION); null when either is unknown. */
  @Column({ name: 'next_calibration_date', type: 'date', nullable: true })
  nextCalibrationDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One service an instrument received: imported from the centre's books, or recorded when a result is
 * approved. The instrument's last-service columns and next due date are recomputed from these rows.
 */
@Entity({ name: 'instrument_service_record' })
@Index('UQ_instrument_service_record', ['instrumentId', 'service', 'performedOn'], { unique: true })
@Index('IDX_instrument_service_record_date', ['instrumentId', 'performedOn'])
@Check('CHK_instrument_service_record_result', `"result" IS NULL OR "result" IN ('pass', 'fail')`)
@Check('CHK_instrument_service_record_origin', `"origin" IN ('import', 'approval')`)
export class InstrumentServiceRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId!: string;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ type: 'text' })
  service!: ServiceKind;

  @Column({ name: 'performed_on', type: 'date' })
  performedOn!: string;

  /** pass / fail; null for a calibration without a statement of conformity. */
  @Column({ type: 'text', nullable: true })
  result!: ServiceResult | null;

  /** As printed, e.g. from an old paper register. */
  @Column({ name: 'certificate_number', type: 'text', nullable: true })
  certificateNumber!: string | null;

  /**
   * The certificate that reported this service was revoked on this date (Vietnamese calendar). Kept
   * as history: a later service does not clear it; a new certificate for this same service does
   * (the revoked certificate itself keeps its revocation).
   */
  @Column({ name: 'revoked_on', type: 'date', nullable: true })
  revokedOn!: string | null;

  /** import: typed in from the books; approval: written by the calibration workflow. */
  @Column({ type: 'text' })
  origin!: 'import' | 'approval';

  @Column({ name: 'recorded_by', type: 'text', nullable: true })
  recordedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A change of owner (a sale): from whom, to whom, when, why, recorded by whom. Append-only; the
 * ownership periods (registration → first transfer → … → now) are read from these rows and the
 * instrument's registration date, so registering 10,000 instruments writes nothing here.
 */
@Entity({ name: 'instrument_transfer' })
@Index('IDX_instrument_transfer_instrument', ['instrumentId', 'transferredAt'])
@Check('CHK_instrument_transfer_owners', `"from_owner_id" <> "to_owner_id"`)
export class InstrumentTransfer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId!: string;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ name: 'from_owner_id', type: 'uuid' })
  fromOwnerId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_owner_id' })
  fromOwner?: Organization;

  @Column({ name: 'to_owner_id', type: 'uuid' })
  toOwnerId!: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_owner_id' })
  toOwner?: Organization;

  @Column({ name: 'transferred_at', type: 'timestamptz' })
  transferredAt!: Date;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'recorded_by', type: 'text', nullable: true })
  recordedBy!: string | null;
}
