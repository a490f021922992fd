import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** chuẩn chính (reference standard of the province) / chuẩn công tác (working) / chuẩn kiểm tra (check). */
export const STANDARD_LEVELS = ['reference', 'working', 'check'] as const;
export type StandardLevel = (typeof STANDARD_LEVELS)[number];

export const STANDARD_STATUSES = ['in_service', 'out_of_service', 'retired'] as const;
export type StandardStatus = (typeof STANDARD_STATUSES)[number];

/** Where a chain of calibrations leaves the centre: the national standard (Viện Đo lường Việt Nam) or an accredited lab. */
export const EXTERNAL_REFERENCE_KINDS = ['national_standard', 'accredited_lab'] as const;
export type ExternalReferenceKind = (typeof EXTERNAL_REFERENCE_KINDS)[number];

/** A measurement standard of the centre (chuẩn đo lường). */
@Entity({ name: 'measurement_standard' })
@Check('CHK_measurement_standard_level', `"level" IN ('reference', 'working', 'check')`)
@Check('CHK_measurement_standard_status', `"status" IN ('in_service', 'out_of_service', 'retired')`)
export class MeasurementStandard {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_measurement_standard_code', { unique: true })
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  level!: StandardLevel;

  @Column({ type: 'text' })
  quantity!: string;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'range_min', type: 'numeric', nullable: true })
  rangeMin!: string | null;

  @Column({ name: 'range_max', type: 'numeric', nullable: true })
  rangeMax!: string | null;

  @Column({ name: 'accuracy_class', type: 'text', nullable: true })
  accuracyClass!: string | null;

  /** Expanded uncertainty as stated for the standard, in its unit, with its coverage factor. */
  @Column({ type: 'numeric', nullable: true })
  uncertainty!: string | null;

  @Column({ name: 'coverage_factor', type: 'numeric', nullable: true })
  coverageFactor!: string | null;

  @Column({ type: 'text', nullable: true })
  manufacturer!: string | null;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ name: 'serial_number', type: 'text', nullable: true })
  serialNumber!: string | null;

  /** The section (phòng) that keeps it. */
  @Column({ name: 'custodian_section', type: 'text', nullable: true })
  custodianSection!: string | null;

  @Column({ type: 'text', default: 'in_service' })
  status!: StandardStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A calibration certificate of a standard, issued by a higher laboratory, and what that calibration
 * is traceable to: another standard of the centre, or an external reference. These links form the
 * traceability graph, which must stay acyclic.
 */
@Entity({ name: 'standard_calibration' })
@Index('UQ_standard_calibration_number', ['standardId', 'certificateNumber'], { unique: true })
@Index('IDX_standard_calibration_date', ['standardId', 'calibrationDate'])
@Index('IDX_standard_calibration_parent', ['traceableToStandardId'])
@Check('CHK_standard_calibration_dates', '"due_date" >= "calibration_date"')
@Check(
  'CHK_standard_calibration_file',
  `("certificate_file_sha256" IS NULL AND "certificate_file_size" IS NULL AND "certificate_file_uploaded_at" IS NULL) OR ` +
    `("certificate_file_sha256" ~ '^[0-9a-f]{64}$' AND "certificate_file_size" > 0 AND "certificate_file_uploaded_at" IS NOT NULL)`,
)
@Check(
  'CHK_standard_calibration_link',
  `("traceable_to_standard_id" IS NOT NULL AND "external_reference_kind" IS NULL AND "external_reference_name" IS NULL) OR ` +
    `("traceable_to_standard_id" IS NULL AND "external_reference_kind" IN ('national_standard', 'accredited_lab') AND "external_reference_name" IS NOT NULL)`,
)
export class StandardCalibration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'standard_id', type: 'uuid' })
  standardId!: string;

  @ManyToOne(() => MeasurementStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_id' })
  standard?: MeasurementStandard;

  @Column({ name: 'issuing_lab', type: 'text' })
  issuingLab!: string;

  @Column({ name: 'certificate_number', type: 'text' })
  certificateNumber!: string;

  @Column({ name: 'calibration_date', type: 'date' })
  calibrationDate!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'traceable_to_standard_id', type: 'uuid', nullable: true })
  traceableToStandardId!: string | null;

  @ManyToOne(() => MeasurementStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'traceable_to_standard_id' })
  traceableToStandard?: MeasurementStandard | null;

  @Column({ name: 'external_reference_kind', type: 'text', nullable: true })
  externalReferenceKind!: ExternalReferenceKind | null;

  @Column({ name: 'external_reference_name', type: 'text', nullable: true })
  externalReferenceName!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'recorded_by', type: 'text', nullable: true })
  recordedBy!: string | null;

  /** The certificate's own PDF (from VMI or another laboratory), by SHA-256 in the standards' file store. */
  @Column({ name: 'certificate_file_sha256', type: 'text', nullable: true })
  certificateFileSha256!: string | null;

  @Column({ name: 'certificate_file_size', type: 'integer', nullable: true })
  certificateFileSize!: number | null;

  @Column({ name: 'certificate_file_name', type: 'text', nullable: true })
  certificateFileName!: string | null;

  @Column({ name: 'certificate_file_uploaded_at', type: 'timestamptz', nullable: true })
  certificateFileUploadedAt!: Date | null;

  @OneToMany(() => StandardCalibrationValue, (v) => v.calibration)
  values?: StandardCalibrationValue[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A value stated on a calibration certificate, with its expanded uncertainty U and coverage factor k. */
@Entity({ name: 'standard_calibration_value' })
@Index('UQ_standard_calibration_value_ordinal', ['calibrationId', 'ordinal'], { unique: true })
@Check('CHK_standard_calibration_value_u', '"expanded_uncertainty" >= 0 AND "coverage_factor" > 0')
export class StandardCalibrationValue {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'calibration_id', type: 'uuid' })
  calibrationId!: string;

  @ManyToOne(() => StandardCalibration, (c) => c.values, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calibration_id' })
  calibration?: StandardCalibration;

  @Column({ type: 'integer' })
  ordinal!: number;

  @Column({ type: 'numeric' })
  nominal!: string;

  /** The value (or correction) the certificate states at the nominal point; null when only U is stated. */
  @Column({ type: 'numeric', nullable: true })
  value!: string | null;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'expanded_uncertainty', type: 'numeric' })
  expandedUncertainty!: string;

  @Column({ name: 'coverage_factor', type: 'numeric' })
  coverageFactor!: string;
}

/** kiểm tra giữa kỳ: an intermediate check between two calibrations (ISO/IEC 17025 6.4.10). */
@Entity({ name: 'standard_check' })
@Index('IDX_standard_check_date', ['standardId', 'checkDate'])
export class StandardCheck {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'standard_id', type: 'uuid' })
  standardId!: string;

  @ManyToOne(() => MeasurementStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_id' })
  standard?: MeasurementStandard;

  @Column({ name: 'check_date', type: 'date' })
  checkDate!: string;

  /** Name of who did it (staff or not). */
  @Column({ name: 'performed_by', type: 'text' })
  performedBy!: string;

  @Column({ type: 'boolean' })
  passed!: boolean;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'recorded_by', type: 'text', nullable: true })
  recordedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
