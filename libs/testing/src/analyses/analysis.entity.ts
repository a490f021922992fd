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
import { StaffUser } from '#libs/auth';
import type { RowUncertaintyBudget } from './row-uncertainty.js';
import { RequestItem } from '#libs/requests';
import { TestMethod, TestParameter, TestSpecLimit } from '../catalogue/catalogue.entity.js';

export const TEST_RESULT_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type TestResultStatus = (typeof TEST_RESULT_STATUSES)[number];

export const DECISION_RULES = ['simple', 'guarded'] as const;
export type TestDecisionRule = (typeof DECISION_RULES)[number];

/**
 * An analysis (phép thử): one parameter (chỉ tiêu) of a sample, by one method, chosen at contract
 * review. Whether the method was accredited then is kept (the report marks it); a test sent to
 * another laboratory names it (`subcontractedTo`), and the report marks it too.
 */
@Entity({ name: 'test_analysis' })
@Index('UQ_test_analysis_parameter', ['requestItemId', 'parameterId'], { unique: true })
export class TestAnalysis {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @ManyToOne(() => RequestItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id', foreignKeyConstraintName: 'FK_test_analysis_request_item' })
  item?: RequestItem;

  @Column({ name: 'parameter_id', type: 'uuid' })
  parameterId!: string;

  @ManyToOne(() => TestParameter, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parameter_id', foreignKeyConstraintName: 'FK_test_analysis_parameter' })
  parameter?: TestParameter;

  @Column({ name: 'method_id', type: 'uuid' })
  methodId!: string;

  @ManyToOne(() => TestMethod, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'method_id', foreignKeyConstraintName: 'FK_test_analysis_method' })
  method?: TestMethod;

  /** The parameter's place in the product's table (STT follows it). */
  @Column({ type: 'int' })
  position!: number;

  /** The method was in the accreditation scope at contract review. */
  @Column({ type: 'boolean' })
  accredited!: boolean;

  /** The laboratory a subcontracted test was sent to; null: tested here. */
  @Column({ name: 'subcontracted_to', type: 'text', nullable: true })
  subcontractedTo!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The results of one sample across their revisions: what review approves and the report prints. */
@Entity({ name: 'test_result' })
@Index('UQ_test_result_request_item', ['requestItemId'], { unique: true })
@Check('CHK_test_result_status', `"status" IN ('draft', 'submitted', 'approved', 'returned')`)
export class TestResult {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @ManyToOne(() => RequestItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id', foreignKeyConstraintName: 'FK_test_result_request_item' })
  item?: RequestItem;

  @Column({ type: 'text' })
  status!: TestResultStatus;

  @Column({ name: 'current_revision', type: 'int' })
  currentRevision!: number;

  @Column({ name: 'approved_revision', type: 'int', nullable: true })
  approvedRevision!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One revision of a sample's results: every row, the decision rule, the conformity evaluated, who
 * tested and who reviewed. Never edited once submitted (trigger); a retest is a new revision and
 * the earlier one stays readable.
 */
@Entity({ name: 'test_result_revision' })
@Index('UQ_test_result_revision', ['resultId', 'revision'], { unique: true })
@Check('CHK_test_result_revision_status', `"status" IN ('draft', 'submitted', 'approved', 'returned')`)
@Check('CHK_test_result_revision_rule', `"decision_rule" IN ('simple', 'guarded')`)
@Check('CHK_test_result_revision_overall', `"overall" IS NULL OR "overall" IN ('pass', 'fail', 'conditional')`)
export class TestResultRevision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'result_id', type: 'uuid' })
  resultId!: string;

  @ManyToOne(() => TestResult, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'result_id', foreignKeyConstraintName: 'FK_test_result_revision_result' })
  result?: TestResult;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ type: 'text' })
  status!: TestResultStatus;

  /** Why this revision exists (a retest, a correction); null for the first. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'decision_rule', type: 'text' })
  decisionRule!: TestDecisionRule;

  @Column({ name: 'guard_band_factor', type: 'numeric', nullable: true })
  guardBandFactor!: string | null;

  /** Conditions recorded during the tests ({temperature, humidity} with units). */
  @Column({ type: 'jsonb', nullable: true })
  environment!: Record<string, { value: string; unit: string }> | null;

  /** Departures from the method, printed on the report (7.8.2.1 l). */
  @Column({ type: 'text', nullable: true })
  deviations!: string | null;

  @Column({ name: 'tested_from', type: 'date' })
  testedFrom!: string;

  @Column({ name: 'tested_to', type: 'date' })
  testedTo!: string;

  /** The overall conformity; null when not every judged parameter has a limit (overall_reason). */
  @Column({ type: 'text', nullable: true })
  overall!: 'pass' | 'fail' | 'conditional' | null;

  @Column({ name: 'overall_reason', type: 'text', nullable: true })
  overallReason!: string | null;

  @Column({ name: 'performed_by', type: 'uuid' })
  performedBy!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'performed_by', foreignKeyConstraintName: 'FK_test_result_revision_performer' })
  performer?: StaffUser;

  @CreateDateColumn({ name: 'performed_at', type: 'timestamptz' })
  performedAt!: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reviewed_by', foreignKeyConstraintName: 'FK_test_result_revision_reviewer' })
  reviewer?: StaffUser | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'review_comment', type: 'text', nullable: true })
  reviewComment!: string | null;
}

/** The equipment a row used, as the registry stood on the test date. */
export interface EquipmentUsed {
  standardId: string;
  code: string;
  name: string;
  certificateNumber: string | null;
  issuedBy: string | null;
  dueDate: string | null;
}

/**
 * One parameter's result in a revision: the replicates as entered (and their unit), what is
 * reported (value, "< LOQ", "KPH"), the limit that judged it and the judgement.
 */
@Entity({ name: 'test_result_row' })
@Check('CHK_test_result_row_kind', `"reported_kind" IN ('value', 'below', 'above', 'not_detected', 'category', 'text')`)
@Check('CHK_test_result_row_conformity', `"conformity" IN ('pass', 'fail', 'conditional', 'not_judged')`)
export class TestResultRow {
  @PrimaryColumn({ name: 'revision_id', type: 'uuid' })
  revisionId!: string;

  @ManyToOne(() => TestResultRevision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'revision_id', foreignKeyConstraintName: 'FK_test_result_row_revision' })
  revisionRow?: TestResultRevision;

  @PrimaryColumn({ name: 'analysis_id', type: 'uuid' })
  analysisId!: string;

  @ManyToOne(() => TestAnalysis, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'analysis_id', foreignKeyConstraintName: 'FK_test_result_row_analysis' })
  analysis?: TestAnalysis;

  /** As entered, in `enteredUnit`: "12.3", "<0.2", "KPH". */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  replicates!: string[];

  /** The unit the analyst entered; replicates were converted to the parameter's unit (mathjs). */
  @Column({ name: 'entered_unit', type: 'text', nullable: true })
  enteredUnit!: string | null;

  /** A categorical or text result. */
  @Column({ name: 'entered_value', type: 'text', nullable: true })
  enteredValue!: string | null;

  @Column({ name: 'expanded_uncertainty', type: 'numeric', nullable: true })
  expandedUncertainty!: string | null;

  @Column({ name: 'coverage_factor', type: 'numeric', nullable: true })
  coverageFactor!: string | null;

  /** How U was evaluated (libs/uncertainty, GUM): the analyst's input and u_c, ν_eff, k, p, U unrounded. */
  @Column({ type: 'jsonb', nullable: true })
  uncertainty!: RowUncertaintyBudget | null;

  @Column({ name: 'reported_kind', type: 'text' })
  reportedKind!: 'value' | 'below' | 'above' | 'not_detected' | 'category' | 'text';

  /** The mean (value), the bound (below/above: the LOQ or the qualifier's), the LOD (not detected), or the category/text. */
  @Column({ name: 'reported_value', type: 'text', nullable: true })
  reportedValue!: string | null;

  /** As printed: "12,3", "< 0,2", "KPH" — never 0 for what was not quantified. */
  @Column({ type: 'text' })
  display!: string;

  @Column({ name: 'limit_id', type: 'uuid', nullable: true })
  limitId!: string | null;

  @ManyToOne(() => TestSpecLimit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'limit_id', foreignKeyConstraintName: 'FK_test_result_row_limit' })
  limit?: TestSpecLimit | null;

  @Column({ name: 'limit_display', type: 'text', nullable: true })
  limitDisplay!: string | null;

  @Column({ type: 'text' })
  conformity!: 'pass' | 'fail' | 'conditional' | 'not_judged';

  /** The ILAC-G8 outcome behind the judgement (conditional_pass / conditional_fail under a guard band). */
  @Column({ type: 'text', nullable: true })
  decision!: 'pass' | 'fail' | 'conditional_pass' | 'conditional_fail' | null;

  @Column({ name: 'conformity_reason', type: 'text', nullable: true })
  conformityReason!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  equipment!: EquipmentUsed[];

  @Column({ name: 'tested_on', type: 'date' })
  testedOn!: string;

  /** The revision this row was measured in (a row not retested is carried over unchanged). */
  @Column({ name: 'measured_in_revision', type: 'int' })
  measuredInRevision!: number;
}

export const ANALYSIS_ENTITIES = [TestAnalysis, TestResult, TestResultRevision, TestResultRow];
