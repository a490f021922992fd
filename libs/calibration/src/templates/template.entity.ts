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
import { InstrumentType, type ServiceKind } from '#libs/registry';
import type { BudgetTermSpec } from '../budget/budget-terms.js';
import type { DecisionRuleKind } from '../results/computation.js';

/** A measurement point of a template: nominal value and how many repeated readings the procedure asks for. */
export interface TemplatePoint {
  /** Decimal string. */
  nominal: string;
  unit: string;
  readings: number;
}

/**
 * A worksheet (biên bản mẫu) per instrument type and procedure: the measurement points, the budget rows
 * and the environmental limits the procedure sets, so that a technician enters readings only.
 * Points and budget rows are a document edited as a whole (jsonb, numbers as decimal strings, never
 * queried by value); the limits are numeric columns. A result keeps its own copy of what it used, so
 * editing a template never changes a recorded result.
 */
@Entity({ name: 'calibration_template' })
@Index('UQ_calibration_template_name', ['instrumentTypeId', 'name'], { unique: true })
@Check(
  'CHK_calibration_template_services',
  `"services" <@ ARRAY['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration']::text[] AND cardinality("services") > 0`,
)
@Check('CHK_calibration_template_rule', `"decision_rule" IN ('simple', 'guarded')`)
export class CalibrationTemplate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instrument_type_id', type: 'uuid' })
  instrumentTypeId!: string;

  @ManyToOne(() => InstrumentType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text' })
  name!: string;

  /** The services this worksheet is for. */
  @Column({ type: 'text', array: true })
  services!: ServiceKind[];

  /** quy trình: one of the instrument type's procedures. */
  @Column({ name: 'procedure_code', type: 'text' })
  procedureCode!: string;

  @Column({ name: 'procedure_version', type: 'text', nullable: true })
  procedureVersion!: string | null;

  @Column({ type: 'jsonb' })
  points!: TemplatePoint[];

  /** Budget rows applied at every point. */
  @Column({ type: 'jsonb' })
  components!: BudgetTermSpec[];

  /** Standards normally used; a result may name others. */
  @Column({ name: 'standard_ids', type: 'uuid', array: true, default: () => "'{}'" })
  standardIds!: string[];

  /** The procedure's decision rule for verification: simple acceptance unless it says otherwise. */
  @Column({ name: 'decision_rule', type: 'text', default: 'simple' })
  decisionRule!: DecisionRuleKind;

  @Column({ name: 'guard_band_factor', type: 'numeric', nullable: true })
  guardBandFactor!: string | null;

  @Column({ name: 'coverage_probability', type: 'numeric' })
  coverageProbability!: string;

  /** Environmental limits of the procedure (°C, %RH, kPa); null = no limit on that side. */
  @Column({ name: 'temperature_min', type: 'numeric', nullable: true })
  temperatureMin!: string | null;

  @Column({ name: 'temperature_max', type: 'numeric', nullable: true })
  temperatureMax!: string | null;

  @Column({ name: 'humidity_min', type: 'numeric', nullable: true })
  humidityMin!: string | null;

  @Column({ name: 'humidity_max', type: 'numeric', nullable: true })
  humidityMax!: string | null;

  @Column({ name: 'pressure_min', type: 'numeric', nullable: true })
  pressureMin!: string | null;

  @Column({ name: 'pressure_max', type: 'numeric', nullable: true })
  pressureMax!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
