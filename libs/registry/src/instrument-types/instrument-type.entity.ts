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

/** What the centre may do to an instrument of a type: verification kinds (kiểm định), calibration, testing. */
export const INSTRUMENT_SERVICES = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
  'calibration',
  'testing',
] as const;
export type ServiceKind = (typeof INSTRUMENT_SERVICES)[number];

export const VERIFICATION_SERVICES: readonly ServiceKind[] = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
];
export const isVerification = (s: ServiceKind): boolean => VERIFICATION_SERVICES.includes(s);

/** Seed data the centre has not confirmed keeps saying so until the admin confirms it. */
export const DATA_QUALITIES = ['confirmed', 'uncertain'] as const;
export type DataQuality = (typeof DATA_QUALITIES)[number];

/** A verification or calibration procedure (quy trình), e.g. ĐLVN 10:2017. */
export interface ProcedureRef {
  code: string;
  version?: string;
  note?: string;
}

/** An entry of the catalogue of instrument types (loại phương tiện đo): data the admin corrects, not code. */
@Entity({ name: 'instrument_type' })
@Check('CHK_instrument_type_data_quality', `"data_quality" IN ('confirmed', 'uncertain')`)
@Check('CHK_instrument_type_capability_divisor', '"capability_divisor" >= 1')
@Check(
  'CHK_instrument_type_services',
  `"services" <@ ARRAY['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration', 'testing']::text[]`,
)
export class InstrumentType {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_instrument_type_code', { unique: true })
  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'name_vi', type: 'text' })
  nameVi!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  @Column({ name: 'measured_quantity', type: 'text' })
  measuredQuantity!: string;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  services!: ServiceKind[];

  /** phê duyệt mẫu: the type needs pattern approval before verification. */
  @Column({ name: 'type_approval_required', type: 'boolean', default: false })
  typeApprovalRequired!: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  procedures!: ProcedureRef[];

  /**
   * Capability (U of the verification against the MPE): a point is flagged when U > MPE / divisor
   * (3 by default; some procedures say 4 or 5), and refused when the procedure demands it (enforced).
   */
  @Column({ name: 'capability_divisor', type: 'numeric', default: 3 })
  capabilityDivisor!: string;

  @Column({ name: 'capability_enforced', type: 'boolean', default: false })
  capabilityEnforced!: boolean;

  /** False for a type taken off the list (e.g. by a circular); its instruments stay. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'data_quality', type: 'text', default: 'confirmed' })
  dataQuality!: DataQuality;

  @Column({ name: 'source_note', type: 'text', nullable: true })
  sourceNote!: string | null;

  /** Set when staff change the row; the catalogue seed then leaves it alone. */
  @Column({ name: 'staff_edited_at', type: 'timestamptz', nullable: true })
  staffEditedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One period of a type's periodic verification cycle (chu kỳ kiểm định), in force from `effectiveFrom`
 * until the next row of the same type. Rows are only ever added: an instrument verified in a period
 * keeps that period's cycle.
 */
@Entity({ name: 'instrument_type_cycle' })
@Index('UQ_instrument_type_cycle_from', ['instrumentTypeId', 'effectiveFrom'], { unique: true })
@Check('CHK_instrument_type_cycle_months', '"cycle_months" IS NULL OR "cycle_months" > 0')
@Check('CHK_instrument_type_cycle_data_quality', `"data_quality" IN ('confirmed', 'uncertain')`)
export class InstrumentTypeCycle {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instrument_type_id', type: 'uuid' })
  instrumentTypeId!: string;

  @ManyToOne(() => InstrumentType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  /** null: no periodic verification in this period. */
  @Column({ name: 'cycle_months', type: 'integer', nullable: true })
  cycleMonths!: number | null;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  /** The circular (thông tư) or other source that sets the cycle. */
  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'data_quality', type: 'text', default: 'confirmed' })
  dataQuality!: DataQuality;

  /** Staff user id; null for the seed. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
