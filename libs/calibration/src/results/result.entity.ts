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
import { StaffUser } from '#libs/auth';
import {
  Instrument,
  InstrumentType,
  MeasurementStandard,
  StandardCalibration,
  type MpeConfidence,
  type MpeRule,
  type ServiceKind,
} from '#libs/registry';
import { RequestItem } from '#libs/requests';
import type { CoverageFactorFallbackKind, DecisionOutcome } from '#libs/uncertainty';
import type { BudgetTermSpec, ResolvedTerm } from '../budget/budget-terms.js';
import type { ContributionView, CoverageFactorFallbackView } from '../uncertainty-api/dto/evaluate.dto.js';
import { CalibrationTemplate } from '../templates/template.entity.js';
import type { Correction, DecisionRuleKind, DecisionRuleSource, PointConditions, Series } from './computation.js';

/** The MPE rule a revision was judged by, copied when recorded: later edits or confirmations do not change it. */
export interface MpeBasis {
  ruleId: string;
  rule: MpeRule;
  multiplier: string;
  confidence: MpeConfidence;
  /** Gave verdicts when recorded (VERIFIED, the centre's, or confirmed). */
  usable: boolean;
  confirmedAt: string | null;
  confirmedAgainst: string | null;
  sourceDocument: string;
  sourceClause: string | null;
}

/** Audit trail entity names of this library (GET /audit?entity=…&id=…). */
export const AUDIT_ENTITY = { result: 'calibration_result', template: 'calibration_template' } as const;

export const RESULT_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** A revision's review state; `superseded`: a later revision replaced it before it was approved. */
export const REVISION_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'superseded'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

export const DECISION_OUTCOMES = ['pass', 'conditional_pass', 'conditional_fail', 'fail'] as const;

/**
 * The result (kết quả) of one request item: identity and review pointer only. The technical content
 * lives in its revisions, which are never overwritten.
 */
@Entity({ name: 'calibration_result' })
// One result per request item; a correction is a revision of it, not a second result.
@Index('UQ_calibration_result_request_item', ['requestItemId'], {
  unique: true,
  where: '"request_item_id" IS NOT NULL',
})
@Index('IDX_calibration_result_instrument', ['instrumentId', 'createdAt'])
@Check('CHK_calibration_result_status', `"status" IN ('draft', 'submitted', 'returned', 'approved')`)
@Check(
  'CHK_calibration_result_service',
  `"service" IN ('verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration')`,
)
export class CalibrationResult {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The request item the result belongs to (its instrument, service, conformity statement and decision rule). */
  @Column({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @ManyToOne(() => RequestItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id' })
  requestItem?: RequestItem;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId!: string;

  @ManyToOne(() => Instrument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ name: 'instrument_type_id', type: 'uuid' })
  instrumentTypeId!: string;

  @ManyToOne(() => InstrumentType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text' })
  service!: ServiceKind;

  /** The latest revision's state. */
  @Column({ type: 'text', default: 'draft' })
  status!: ResultStatus;

  @Column({ name: 'current_revision', type: 'integer' })
  currentRevision!: number;

  /** The latest approved revision, if any: what a certificate is issued from. */
  @Column({ name: 'approved_revision', type: 'integer', nullable: true })
  approvedRevision!: number | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by' })
  creator?: StaffUser;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One revision (lần sửa) of a result: everything measured and computed, as recorded. A correction is
 * a new revision with a reason. A database trigger refuses DELETE, any UPDATE of an approved revision,
 * and any UPDATE of the technical columns of any revision; only the review columns
 * (status, submitted_*, reviewed_*, review_comment) ever change.
 */
@Entity({ name: 'calibration_result_revision' })
@Index('UQ_calibration_result_revision', ['resultId', 'revision'], { unique: true })
@Index('IDX_calibration_result_revision_measured', ['measuredOn'])
@Check(
  'CHK_calibration_result_revision_status',
  `"status" IN ('draft', 'submitted', 'returned', 'approved', 'superseded')`,
)
@Check('CHK_calibration_result_revision_rule', `"decision_rule" IS NULL OR "decision_rule" IN ('simple', 'guarded')`)
@Check('CHK_calibration_result_revision_reason', `"revision" = 1 OR "reason" IS NOT NULL`)
export class CalibrationResultRevision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'result_id', type: 'uuid' })
  resultId!: string;

  @ManyToOne(() => CalibrationResult, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'result_id' })
  result?: CalibrationResult;

  @Column({ type: 'integer' })
  revision!: number;

  /** Why this revision replaces the previous one (null for revision 1). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId!: string | null;

  @ManyToOne(() => CalibrationTemplate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: CalibrationTemplate | null;

  @Column({ name: 'procedure_code', type: 'text' })
  procedureCode!: string;

  @Column({ name: 'procedure_version', type: 'text', nullable: true })
  procedureVersion!: string | null;

  @Column({ name: 'measured_on', type: 'date' })
  measuredOn!: string;

  /** Where the work was done: the laboratory, or the site (for work on site). */
  @Column({ type: 'text' })
  place!: string;

  /** °C */
  @Column({ type: 'numeric', nullable: true })
  temperature!: string | null;

  /** %RH */
  @Column({ type: 'numeric', nullable: true })
  humidity!: string | null;

  /** kPa */
  @Column({ type: 'numeric', nullable: true })
  pressure!: string | null;

  /** The limits the environment was checked against (from the template), as decimal strings. */
  @Column({ name: 'environment_limits', type: 'jsonb' })
  environmentLimits!: EnvironmentLimits;

  @Column({ name: 'conformity_requested', type: 'boolean' })
  conformityRequested!: boolean;

  /** null: no statement of conformity is made. */
  @Column({ name: 'decision_rule', type: 'text', nullable: true })
  decisionRule!: DecisionRuleKind | null;

  @Column({ name: 'guard_band_factor', type: 'numeric', nullable: true })
  guardBandFactor!: string | null;

  /** procedure (verification) or request (calibration with a statement of conformity). */
  @Column({ name: 'decision_rule_source', type: 'text', nullable: true })
  decisionRuleSource!: DecisionRuleSource | null;

  @Column({ name: 'coverage_probability', type: 'numeric' })
  coverageProbability!: string;

  /** The instrument was adjusted: points carry as_found and as_left series. */
  @Column({ type: 'boolean', default: false })
  adjusted!: boolean;

  /** Worst decision of the reported series; null when no decision was made. */
  @Column({ name: 'overall_outcome', type: 'text', nullable: true })
  overallOutcome!: DecisionOutcome | null;

  @Column({ name: 'as_found_outcome', type: 'text', nullable: true })
  asFoundOutcome!: DecisionOutcome | null;

  /** The MPE rule the points were judged by, as it stood then (source, confidence, confirmation). */
  @Column({ name: 'mpe_basis', type: 'jsonb', nullable: true })
  mpeBasis!: MpeBasis | null;

  /** Capability: points with U > MPE / divisor are flagged (the type's setting when recorded). */
  @Column({ name: 'capability_divisor', type: 'numeric', nullable: true })
  capabilityDivisor!: string | null;

  /** Who measured (người thực hiện). */
  @Column({ name: 'performed_by', type: 'uuid' })
  performedBy!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'performed_by' })
  performer?: StaffUser;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  // Review columns: the only ones that ever change.
  @Column({ type: 'text', default: 'draft' })
  status!: RevisionStatus;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  /** The reviewer who approved or returned it (người soát xét). */
  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reviewed_by' })
  reviewer?: StaffUser | null;

  @Column({ name: 'review_comment', type: 'text', nullable: true })
  reviewComment!: string | null;
}

export interface EnvironmentLimits {
  temperature?: { min: string | null; max: string | null };
  humidity?: { min: string | null; max: string | null };
  pressure?: { min: string | null; max: string | null };
}

/** A standard used for a revision, with the certificate in force on the measurement date (traceability). */
@Entity({ name: 'calibration_result_standard' })
@Index('UQ_calibration_result_standard', ['revisionId', 'standardId'], { unique: true })
@Index('IDX_calibration_result_standard_standard', ['standardId', 'measuredOn'])
export class CalibrationResultStandard {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'revision_id', type: 'uuid' })
  revisionId!: string;

  @ManyToOne(() => CalibrationResultRevision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'revision_id' })
  revision?: CalibrationResultRevision;

  @Column({ type: 'integer' })
  ordinal!: number;

  @Column({ name: 'standard_id', type: 'uuid' })
  standardId!: string;

  @ManyToOne(() => MeasurementStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_id' })
  standard?: MeasurementStandard;

  /** The revision's measurement date, copied so reverse traceability is one index range. */
  @Column({ name: 'measured_on', type: 'date' })
  measuredOn!: string;

  @Column({ name: 'standard_calibration_id', type: 'uuid' })
  standardCalibrationId!: string;

  @ManyToOne(() => StandardCalibration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_calibration_id' })
  standardCalibration?: StandardCalibration;

  // As they were on the measurement date (the registry's rows may gain later calibrations).
  @Column({ name: 'standard_code', type: 'text' })
  standardCode!: string;

  @Column({ name: 'standard_name', type: 'text' })
  standardName!: string;

  @Column({ name: 'certificate_number', type: 'text' })
  certificateNumber!: string;

  @Column({ name: 'issuing_lab', type: 'text' })
  issuingLab!: string;

  @Column({ name: 'calibration_date', type: 'date' })
  calibrationDate!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;
}

/** The budget of a point as recorded: the rows as asked for, as resolved, and as evaluated. */
export interface StoredBudget {
  terms: BudgetTermSpec[];
  resolved: ResolvedTerm[];
  contributions: ContributionView[];
  coverageFactorMethod: string;
  degreesOfFreedomForCoverage: string | null;
  /** The point asked for k = 2 where Welch–Satterthwaite does not apply (kept so a correction carries it). */
  coverageFactorFallbackRequested?: CoverageFactorFallbackKind;
  /** k = 2 was imposed, and why: printed with the result. */
  coverageFactorFallback?: CoverageFactorFallbackView;
}

/** One measurement point of a revision, with its inputs and everything computed from them. */
@Entity({ name: 'calibration_result_point' })
@Index('UQ_calibration_result_point', ['revisionId', 'ordinal'], { unique: true })
@Check('CHK_calibration_result_point_series', `"series" IN ('as_found', 'as_left')`)
@Check(
  'CHK_calibration_result_point_decision',
  `"decision" IS NULL OR "decision" IN ('pass', 'conditional_pass', 'conditional_fail', 'fail')`,
)
export class CalibrationResultPoint {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'revision_id', type: 'uuid' })
  revisionId!: string;

  @ManyToOne(() => CalibrationResultRevision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'revision_id' })
  revision?: CalibrationResultRevision;

  @Column({ type: 'integer' })
  ordinal!: number;

  @Column({ type: 'text' })
  series!: Series;

  // Inputs.
  @Column({ type: 'numeric' })
  nominal!: string;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'reference_value', type: 'numeric' })
  referenceValue!: string;

  @Column({ type: 'numeric', array: true })
  readings!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  corrections!: Correction[];

  // Computed (unrounded unless named rounded).
  @Column({ name: 'indicated_mean', type: 'numeric' })
  indicatedMean!: string;

  @Column({ name: 'correction_total', type: 'numeric' })
  correctionTotal!: string;

  /** indicated mean + corrections − reference */
  @Column({ type: 'numeric' })
  error!: string;

  @Column({ name: 'combined_standard_uncertainty', type: 'numeric' })
  combinedStandardUncertainty!: string;

  /** ν_eff; null when infinite. */
  @Column({ name: 'effective_degrees_of_freedom', type: 'numeric', nullable: true })
  effectiveDegreesOfFreedom!: string | null;

  @Column({ name: 'coverage_factor', type: 'numeric' })
  coverageFactor!: string;

  @Column({ name: 'expanded_uncertainty', type: 'numeric' })
  expandedUncertainty!: string;

  /** U as reported (≤ 2 significant digits); numeric keeps its trailing zeros ("0.0030"). */
  @Column({ name: 'rounded_expanded_uncertainty', type: 'numeric' })
  roundedExpandedUncertainty!: string;

  /** The error rounded to the decimal place of the rounded U. */
  @Column({ name: 'rounded_error', type: 'numeric' })
  roundedError!: string;

  /** ±MPE at the point, when the type's rule could be evaluated. */
  @Column({ type: 'numeric', nullable: true })
  mpe!: string | null;

  @Column({ type: 'text', nullable: true })
  decision!: DecisionOutcome | null;

  /** What the MPE depended on besides the reading: quantity (composite rules), flow point, water temperature. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  conditions!: PointConditions;

  /** U / MPE at the point (4 significant digits); null without an MPE. */
  @Column({ name: 'capability_ratio', type: 'numeric', nullable: true })
  capabilityRatio!: string | null;

  @Column({ type: 'jsonb' })
  budget!: StoredBudget;
}
