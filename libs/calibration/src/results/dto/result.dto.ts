import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { FLOW_POINTS, type FlowPoint } from '#libs/registry';
import {
  ApiBudgetTermModels,
  BUDGET_TERM_TYPE,
  BUDGET_TERMS_SCHEMA,
  BudgetTermBaseDto,
  type BudgetTermDto,
} from '../../budget/budget-term.dto.js';
import { IsDecimalString, Optional, trim } from '../../common/validation.js';
import {
  EnvironmentLimitsDto,
  ProcedureView,
  TEMPLATE_SERVICES,
  type TemplateServiceKind,
} from '../../templates/dto/template.dto.js';
import { COVERAGE_FACTOR_FALLBACKS, type CoverageFactorFallbackKind } from '#libs/uncertainty';
import { ContributionView, CoverageFactorFallbackView } from '../../uncertainty-api/dto/evaluate.dto.js';
import { SERIES, type Series } from '../computation.js';
import {
  DECISION_OUTCOMES,
  RESULT_STATUSES,
  REVISION_STATUSES,
  type ResultStatus,
  type RevisionStatus,
} from '../result.entity.js';

export class EnvironmentDto {
  @ApiPropertyOptional({ example: '23.1', description: 'Temperature, °C' })
  @Optional()
  @IsDecimalString()
  temperature?: string;

  @ApiPropertyOptional({ example: '55', description: 'Relative humidity, %RH' })
  @Optional()
  @IsDecimalString({ nonNegative: true })
  humidity?: string;

  @ApiPropertyOptional({ example: '100.8', description: 'Atmospheric pressure, kPa' })
  @Optional()
  @IsDecimalString({ positive: true })
  pressure?: string;
}

/** The environment a revision was measured in, as recorded: null where it was not. */
export class EnvironmentView {
  @ApiProperty({ nullable: true, type: String, example: '23.1', description: 'Temperature, °C' })
  temperature!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '55', description: 'Relative humidity, %RH' })
  humidity!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '100.8', description: 'Atmospheric pressure, kPa' })
  pressure!: string | null;
}

export class CorrectionDto {
  @ApiProperty({ example: 'head correction' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: '0.0005', description: "Added to the indication, in the point's unit" })
  @IsDecimalString()
  value!: string;
}

@ApiBudgetTermModels()
export class PointDto {
  @ApiPropertyOptional({
    enum: SERIES,
    default: 'as_found',
    description: 'as_found / as_left; without adjustment every point is as_found',
  })
  @Optional()
  @IsIn(SERIES)
  series?: Series;

  @ApiProperty({ example: '0.4' })
  @IsDecimalString()
  nominal!: string;

  @ApiPropertyOptional({
    example: 'MPa',
    description: "Default: the template's unit for this nominal, else the type's unit",
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit?: string;

  @ApiProperty({ example: '0.4000', description: 'Reference value from the standard (corrected)' })
  @IsDecimalString()
  referenceValue!: string;

  @ApiProperty({ type: [String], example: ['0.402', '0.403', '0.401'], description: 'Indications, repeated' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsDecimalString({ each: true })
  readings!: string[];

  @ApiPropertyOptional({ type: [CorrectionDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CorrectionDto)
  corrections?: CorrectionDto[];

  @ApiPropertyOptional({
    example: 'volume',
    description: 'The quantity this point checks, when the MPE rule is composite (taximeter: distance or time)',
  })
  @Optional()
  @Transform(trim)
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'quantity must be a lower-case name such as distance or volume' })
  quantity?: string;

  @ApiPropertyOptional({ enum: FLOW_POINTS, description: 'Water meters: the flow point of the measurement' })
  @Optional()
  @IsIn(FLOW_POINTS)
  flowPoint?: FlowPoint;

  @ApiPropertyOptional({ example: '20', description: 'Water meters: water temperature at the point, °C' })
  @Optional()
  @IsDecimalString()
  waterTemperature?: string;

  @ApiPropertyOptional({
    ...BUDGET_TERMS_SCHEMA,
    description: "This point's budget rows, replacing the template's (required without a template)",
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BudgetTermBaseDto, BUDGET_TERM_TYPE)
  budget?: BudgetTermDto[];

  @ApiPropertyOptional({
    enum: COVERAGE_FACTOR_FALLBACKS,
    description:
      "Where Welch–Satterthwaite does not apply to this point's budget, 'k2' imposes k = 2 (stated with the " +
      'reason in `budget.coverageFactorFallback`) instead of 422 `uncertainty.welch_satterthwaite_not_applicable`',
  })
  @Optional()
  @IsIn(COVERAGE_FACTOR_FALLBACKS)
  coverageFactorFallback?: CoverageFactorFallbackKind;
}

/** What a technician records: the same for the first revision and for a correction. */
export class ResultContentDto {
  @ApiPropertyOptional({ description: 'Worksheet template of the instrument type (points, budget, limits)' })
  @Optional()
  @IsUUID()
  templateId?: string;

  @ApiPropertyOptional({
    example: 'ĐLVN 08',
    description: "Procedure code among the type's procedures; default: the template's, or the type's only one",
  })
  @Optional()
  @IsString()
  @MaxLength(50)
  procedureCode?: string;

  @ApiProperty({ example: '2025-03-10', description: 'Measurement date' })
  @IsCalendarDate()
  measuredOn!: string;

  @ApiProperty({ example: 'Phòng thí nghiệm Áp suất, 12 Trần Phú, Nha Trang', description: 'Where it was done' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  place!: string;

  @ApiPropertyOptional({ type: EnvironmentDto, description: 'Checked against the procedure’s limits (template)' })
  @Optional()
  @ValidateNested()
  @Type(() => EnvironmentDto)
  environment?: EnvironmentDto;

  @ApiPropertyOptional({
    type: [String],
    description: "Standards used (each must be usable on the measurement date); default: the template's",
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  standardIds?: string[];

  @ApiPropertyOptional({ default: false, description: 'Adjusted: give as_found and as_left series' })
  @Optional()
  @IsBoolean()
  adjusted?: boolean;

  @ApiPropertyOptional({ example: '0.9545', description: "Default: the template's, else 0.9545" })
  @Optional()
  @IsDecimalString({ positive: true })
  coverageProbability?: string;

  @ApiProperty({ type: [PointDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PointDto)
  points!: PointDto[];
}

/**
 * A result of one request item. What it is about — instrument, service, whether a statement of
 * conformity was asked for and under which decision rule — comes from the item.
 */
export class RecordResultDto extends ResultContentDto {
  @ApiProperty({ description: 'The request item (received or in progress); one result per item' })
  @IsUUID()
  requestItemId!: string;

  @ApiPropertyOptional({ description: "Cross-check: must be the item's instrument when given" })
  @Optional()
  @IsUUID()
  instrumentId?: string;

  @ApiPropertyOptional({ enum: TEMPLATE_SERVICES, description: "Cross-check: must be the item's service when given" })
  @Optional()
  @IsIn(TEMPLATE_SERVICES)
  service?: TemplateServiceKind;
}

/** A correction: fields left out are carried over from the previous revision. */
export class ReviseResultDto extends PartialType(ResultContentDto) {
  @ApiProperty({ example: 'Reading at 1.2 MPa mistyped (1.120 for 1.210)', description: 'Why (required)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class SubmitDto {
  @ApiProperty({ example: 1, description: 'The revision submitted (must be the latest)' })
  @IsInt()
  @Min(1)
  revision!: number;
}

export class ApproveDto extends SubmitDto {
  @ApiPropertyOptional({ example: 'Checked against the raw data sheet' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ReturnDto extends SubmitDto {
  @ApiProperty({ example: 'Humidity not recorded; please add it', description: 'What to correct (required)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  comment!: string;
}

export class ResultQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() instrumentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestItemId?: string;
  @ApiPropertyOptional({ enum: RESULT_STATUSES }) @IsOptional() @IsIn(RESULT_STATUSES) status?: ResultStatus;
}

// ---- views ----

export class PersonView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Nguyễn Văn A' }) name!: string;
}

export class StandardUsedView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Calibration certificate in force on the measurement date' }) certificateNumber!: string;
  @ApiProperty() issuingLab!: string;
  @ApiProperty() calibrationDate!: string;
  @ApiProperty() dueDate!: string;
}

export class ResolvedTermView {
  @ApiProperty() name!: string;
  @ApiProperty() termKind!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The maths input, decimal strings' })
  input!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where the value came from' })
  source!: Record<string, unknown>;
}

export class PointBudgetView {
  @ApiProperty({ ...BUDGET_TERMS_SCHEMA, description: 'The rows as asked for (template or override)' })
  terms!: BudgetTermDto[];
  @ApiProperty({ type: [ResolvedTermView] }) resolved!: ResolvedTermView[];
  @ApiProperty({ type: [ContributionView] }) contributions!: ContributionView[];
  @ApiProperty({ example: 'student_t' }) coverageFactorMethod!: string;
  @ApiProperty({ nullable: true, type: String }) degreesOfFreedomForCoverage!: string | null;
  @ApiPropertyOptional({ enum: COVERAGE_FACTOR_FALLBACKS, description: 'The fallback the point asked for, if any' })
  coverageFactorFallbackRequested?: CoverageFactorFallbackKind;
  @ApiPropertyOptional({
    type: CoverageFactorFallbackView,
    description: 'Present when k = 2 was imposed because Welch–Satterthwaite did not apply: the reason to print',
  })
  coverageFactorFallback?: CoverageFactorFallbackView;
}

export class PointView {
  @ApiProperty() ordinal!: number;
  @ApiProperty({ enum: SERIES }) series!: Series;
  @ApiProperty({ example: '0.4' }) nominal!: string;
  @ApiProperty({ example: 'MPa' }) unit!: string;
  @ApiProperty({ example: '0.4000' }) referenceValue!: string;
  @ApiProperty({ type: [String] }) readings!: string[];
  @ApiProperty({ type: [CorrectionDto] }) corrections!: CorrectionDto[];
  @ApiProperty({ example: '0.402' }) indicatedMean!: string;
  @ApiProperty({ example: '0' }) correctionTotal!: string;
  @ApiProperty({ example: '0.002', description: 'indicated mean + corrections − reference, unrounded' }) error!: string;
  @ApiProperty({ example: '0.0020', description: 'Error rounded to the decimal place of the rounded U' })
  roundedError!: string;
  @ApiProperty({ example: '0.00174' }) combinedStandardUncertainty!: string;
  @ApiProperty({ nullable: true, type: String, description: 'ν_eff; null when infinite' })
  effectiveDegreesOfFreedom!: string | null;
  @ApiProperty() effectiveDegreesOfFreedomInfinite!: boolean;
  @ApiProperty({ example: '2.02' }) coverageFactor!: string;
  @ApiProperty({ example: '0.00353', description: 'U, unrounded' }) expandedUncertainty!: string;
  @ApiProperty({ example: '0.0035', description: 'U as reported' }) roundedExpandedUncertainty!: string;
  @ApiProperty({ nullable: true, type: String, example: '0.0256', description: '±MPE at the point' }) mpe!:
    string | null;
  @ApiProperty({ nullable: true, enum: DECISION_OUTCOMES }) decision!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { flowPoint: 'Q2' },
    description: 'What the MPE depended on besides the reading (quantity, flowPoint, waterTemperature)',
  })
  conditions!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, example: '0.25', description: 'U / MPE at the point' })
  capabilityRatio!: string | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'U ≤ MPE / the type’s capability divisor (false: flagged for the reviewer); null without an MPE',
  })
  capable!: boolean | null;
  @ApiProperty({ type: PointBudgetView }) budget!: PointBudgetView;
}

export class DecisionRuleView {
  @ApiProperty({ enum: ['simple', 'guarded'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) guardBandFactor!: string | null;
  @ApiProperty({ enum: ['procedure', 'request'] }) source!: string;
}

export class MpeBasisView {
  @ApiProperty() ruleId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) rule!: Record<string, unknown>;
  @ApiProperty({ example: '1' }) multiplier!: string;
  @ApiProperty({ enum: ['VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE'] }) confidence!: string;
  @ApiProperty({ description: 'The rule gave verdicts when recorded (VERIFIED, the centre’s, or confirmed)' })
  usable!: boolean;
  @ApiProperty({ nullable: true, type: String }) confirmedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) confirmedAgainst!: string | null;
  @ApiProperty() sourceDocument!: string;
  @ApiProperty({ nullable: true, type: String }) sourceClause!: string | null;
}

export class CapabilityView {
  @ApiProperty({ example: '3', description: 'Points are flagged when U > MPE / divisor' }) divisor!: string;
  @ApiProperty({ type: [Number], example: [2], description: 'Ordinals of the flagged points' })
  flaggedPoints!: number[];
}

/** What a revision would compute, recorded nowhere: the worksheet's live preview. */
export class ResultPreviewView {
  @ApiProperty({ nullable: true, enum: DECISION_OUTCOMES, description: 'The verdict of the whole item' })
  overallOutcome!: string | null;
  @ApiProperty({ type: [PointView] }) points!: PointView[];
}

export class RevisionView {
  @ApiProperty({ description: 'Id of this revision (what a certificate is issued from)' }) id!: string;
  @ApiProperty() resultId!: string;
  @ApiProperty({ example: 1 }) revision!: number;
  @ApiProperty({ enum: REVISION_STATUSES }) status!: RevisionStatus;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) templateId!: string | null;
  @ApiProperty({ type: ProcedureView }) procedure!: ProcedureView;
  @ApiProperty() measuredOn!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ type: EnvironmentView }) environment!: EnvironmentView;
  @ApiProperty({ type: EnvironmentLimitsDto }) environmentLimits!: EnvironmentLimitsDto;
  @ApiProperty() conformityRequested!: boolean;
  @ApiProperty({ nullable: true, type: DecisionRuleView, description: 'null: no statement of conformity' })
  decisionRule!: DecisionRuleView | null;
  @ApiProperty({ example: '0.9545' }) coverageProbability!: string;
  @ApiProperty() adjusted!: boolean;
  @ApiProperty({ enum: SERIES, description: 'The series a certificate reports' }) reportedSeries!: Series;
  @ApiProperty({ nullable: true, enum: DECISION_OUTCOMES }) overallOutcome!: string | null;
  @ApiProperty({ nullable: true, enum: DECISION_OUTCOMES }) asFoundOutcome!: string | null;
  @ApiProperty({ type: [StandardUsedView] }) standards!: StandardUsedView[];
  @ApiProperty({ type: [PointView] }) points!: PointView[];
  @ApiProperty({
    nullable: true,
    type: MpeBasisView,
    description: 'The MPE rule the points were judged by, as it stood',
  })
  mpeBasis!: MpeBasisView | null;
  @ApiProperty({ nullable: true, type: CapabilityView, description: 'U against the MPE (null without an MPE)' })
  capability!: CapabilityView | null;
  @ApiProperty({ type: PersonView, description: 'Who measured' }) performedBy!: PersonView;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedAt!: string | null;
  @ApiProperty({ nullable: true, type: PersonView }) reviewedBy!: PersonView | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment!: string | null;
}

export class RevisionSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ enum: REVISION_STATUSES }) status!: RevisionStatus;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() measuredOn!: string;
  @ApiProperty({ nullable: true, enum: DECISION_OUTCOMES }) overallOutcome!: string | null;
  @ApiProperty({ type: PersonView }) performedBy!: PersonView;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) reviewedAt!: string | null;
}

export class ResultInstrumentView {
  @ApiProperty() id!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty() manufacturer!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() typeId!: string;
  @ApiProperty() typeCode!: string;
  @ApiProperty() typeName!: string;
}

export class ResultView {
  @ApiProperty() id!: string;
  @ApiProperty() requestItemId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ type: ResultInstrumentView }) instrument!: ResultInstrumentView;
  @ApiProperty({ type: PersonView, description: 'The customer (owner of the instrument)' }) customer!: PersonView;
  @ApiProperty({ enum: TEMPLATE_SERVICES }) service!: string;
  @ApiProperty({ enum: RESULT_STATUSES }) status!: ResultStatus;
  @ApiProperty() currentRevision!: number;
  @ApiProperty({ nullable: true, type: Number }) approvedRevision!: number | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: RevisionView, description: 'The latest revision' }) revision!: RevisionView;
}

export class ResultSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() requestItemId!: string;
  @ApiProperty() instrumentId!: string;
  @ApiProperty({ enum: TEMPLATE_SERVICES }) service!: string;
  @ApiProperty({ enum: RESULT_STATUSES }) status!: ResultStatus;
  @ApiProperty() currentRevision!: number;
  @ApiProperty({ nullable: true, type: Number }) approvedRevision!: number | null;
  @ApiProperty() createdAt!: string;
}

/** A request item's result (there is one per item) with its current revision: the worksheet's read. */
export class ItemResultView extends ResultSummaryView {
  @ApiProperty({ type: RevisionView, description: 'The current (latest) revision' }) revision!: RevisionView;
}
