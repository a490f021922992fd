import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#libs/core';
import { CONFORMITIES, REPORTED_KINDS } from '../../dto/conformity.dto.js';
import {
  DECISION_RULES,
  TEST_RESULT_STATUSES,
  type TestDecisionRule,
  type TestResultStatus,
} from '../analysis.entity.js';

const DECIMAL = /^\d{1,12}([.,]\d{1,12})?$/;

export class AnalysisChoiceDto {
  @ApiProperty({ example: 'sulphur', description: 'Parameter code of the sample’s product' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  parameter!: string;

  @ApiPropertyOptional({ example: 'TCVN 7760', description: 'Method code; default: the parameter’s first method' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  method?: string;

  @ApiPropertyOptional({ example: 'Quatest 3', description: 'The laboratory a subcontracted test goes to' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subcontractedTo?: string;
}

export class ChooseAnalysesDto {
  @ApiPropertyOptional({
    example: 'QCVN 01:2022/BKHCN',
    description:
      'Without `parameters`: the full set this regulation lists (default: the product’s technical regulations)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  regulation?: string;

  @ApiPropertyOptional({
    type: [AnalysisChoiceDto],
    description: 'A chosen subset; absent: the product’s full set (every parameter, first method)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AnalysisChoiceDto)
  parameters?: AnalysisChoiceDto[];
}

export class AnalysisView {
  @ApiProperty() id!: string;
  @ApiProperty() position!: number;
  @ApiProperty() parameterId!: string;
  @ApiProperty({ example: 'sulphur' }) parameter!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() methodId!: string;
  @ApiProperty({ example: 'TCVN 6701' }) method!: string;
  @ApiProperty({ description: 'In the accreditation scope at contract review (marked (*) on the report)' })
  accredited!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Marked (**) on the report' })
  subcontractedTo!: string | null;
}

export class SampleAnalysesView {
  @ApiProperty() requestItemId!: string;
  @ApiProperty() productId!: string;
  @ApiProperty({ nullable: true, type: String }) level!: string | null;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
  @ApiProperty({ description: 'Analysts authorised for testing today (contract review needs at least one)' })
  authorisedAnalysts!: number;
  @ApiProperty({ type: [AnalysisView] }) analyses!: AnalysisView[];
}

export class TestQuantityDto {
  @ApiProperty({ example: '25.1' })
  @IsString()
  @Matches(/^-?\d{1,6}([.,]\d{1,6})?$/, { message: 'value must be a decimal string' })
  value!: string;

  @ApiProperty({ example: '°C' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  unit!: string;
}

/** As recorded during the tests; checked against the limits the methods set (°C, %RH, kPa; converted with core's units). */
export class TestEnvironmentDto {
  @ApiPropertyOptional({ type: TestQuantityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestQuantityDto)
  temperature?: TestQuantityDto;

  @ApiPropertyOptional({ type: TestQuantityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestQuantityDto)
  humidity?: TestQuantityDto;

  @ApiPropertyOptional({ type: TestQuantityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestQuantityDto)
  pressure?: TestQuantityDto;
}

export const COMPONENT_KINDS = [
  'type_a',
  'type_a_readings',
  'type_b_expanded',
  'type_b_limits',
  'type_b_resolution',
  'type_b_standard',
] as const;
export const COMPONENT_DISTRIBUTIONS = ['rectangular', 'triangular', 'u_shaped', 'normal'] as const;

/**
 * One input quantity of a row's budget (libs/uncertainty's UncertaintyComponentInput), in the
 * parameter's unit. Which fields a kind needs is checked by the library: 422 naming the field.
 */
export class RowUncertaintyComponentDto {
  @ApiProperty({ example: 'Độ lặp lại / repeatability' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    enum: COMPONENT_KINDS,
    description:
      'type_a (standardUncertainty, degreesOfFreedom), type_a_readings (readings), type_b_expanded (expandedUncertainty, coverageFactor), type_b_limits (halfWidth, distribution; coverageFactor for normal), type_b_resolution (resolution), type_b_standard (standardUncertainty)',
  })
  @IsIn(COMPONENT_KINDS, { message: `kind must be one of ${COMPONENT_KINDS.join(', ')}` })
  kind!: (typeof COMPONENT_KINDS)[number];

  @ApiPropertyOptional({ example: 2.1 }) @IsOptional() @IsNumber() @Min(0) standardUncertainty?: number;
  @ApiPropertyOptional({ example: 9, description: 'ν; a Type B default is infinite' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  degreesOfFreedom?: number;
  @ApiPropertyOptional({ example: 4 }) @IsOptional() @IsNumber() @Min(0) expandedUncertainty?: number;
  @ApiPropertyOptional({ example: 2 }) @IsOptional() @IsNumber() @Min(0) coverageFactor?: number;
  @ApiPropertyOptional({ example: 0.5 }) @IsOptional() @IsNumber() @Min(0) halfWidth?: number;
  @ApiPropertyOptional({ enum: COMPONENT_DISTRIBUTIONS })
  @IsOptional()
  @IsIn(COMPONENT_DISTRIBUTIONS, { message: `distribution must be one of ${COMPONENT_DISTRIBUTIONS.join(', ')}` })
  distribution?: (typeof COMPONENT_DISTRIBUTIONS)[number];
  @ApiPropertyOptional({ example: 0.1 }) @IsOptional() @IsNumber() @Min(0) resolution?: number;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsNumber({}, { each: true })
  readings?: number[];
  @ApiPropertyOptional({ example: 1, description: 'cᵢ, default 1' })
  @IsOptional()
  @IsNumber()
  sensitivityCoefficient?: number;
}

/** A row's uncertainty: the components of its budget, or U already evaluated with its k. */
export class RowUncertaintyDto {
  @ApiPropertyOptional({ type: [RowUncertaintyComponentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => RowUncertaintyComponentDto)
  components?: RowUncertaintyComponentDto[];

  @ApiPropertyOptional({
    example: 0.9545,
    description:
      'p: for k = t_p(ν_eff) from components, or the one U given has; default 0.9545. One per revision (the report states it)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(0.9999)
  coverageProbability?: number;

  @ApiPropertyOptional({ example: '4', description: 'U already evaluated (decimal string), with coverageFactor' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL, { message: 'expandedUncertainty must be a non-negative decimal string' })
  expandedUncertainty?: string;

  @ApiPropertyOptional({ example: '2', description: 'k of the U given (decimal string)' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL, { message: 'coverageFactor must be a positive decimal string' })
  coverageFactor?: string;
}

export class TestResultRowDto {
  @ApiProperty({ example: 'sulphur', description: 'Parameter code of one of the sample’s analyses' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  parameter!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['182', '178'],
    description: 'Replicates in `unit`: decimal strings, "<0.2" (below a bound), ">40", or "KPH" (not detected)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  replicates?: string[];

  @ApiPropertyOptional({ example: 'g/kg', description: 'The unit entered; converted to the parameter’s (mathjs)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit?: string;

  @ApiPropertyOptional({ example: '1a', description: 'A categorical or text result' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  value?: string;

  @ApiPropertyOptional({
    type: () => RowUncertaintyDto,
    description:
      'The uncertainty of the result (the mean), in the parameter’s unit: a budget’s components or U with k, evaluated by libs/uncertainty; used by the guarded rule and printed "kết quả ± U (k = …)". Not for a result below the LOQ, above a bound, not detected, categorical or text.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RowUncertaintyDto)
  uncertainty?: RowUncertaintyDto;

  @ApiPropertyOptional({ type: [String], description: 'Registry equipment (measurement standards) used' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  equipment?: string[];

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Day of this test; default: the revision’s testedOn' })
  @IsOptional()
  @IsCalendarDate()
  testedOn?: string;
}

export class RecordTestResultsDto {
  @ApiProperty({
    example: '2026-12-01',
    description: 'Day of testing (the limits in force and the season of this day)',
  })
  @IsCalendarDate()
  testedOn!: string;

  @ApiPropertyOptional({ description: 'Why a new revision (a retest, a correction); required after revision 1' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({
    example: 1,
    description: 'When the sample asked for the guarded rule: w = factor·U (ILAC-G8), default 1',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(10)
  guardBandFactor?: number;

  @ApiPropertyOptional({ type: TestEnvironmentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TestEnvironmentDto)
  environment?: TestEnvironmentDto;

  @ApiPropertyOptional({ description: 'Departures from the methods, printed on the report' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  deviations?: string;

  @ApiProperty({
    type: [TestResultRowDto],
    description: 'Revision 1: every analysis; later revisions: the retested rows (the others are carried over)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TestResultRowDto)
  rows!: TestResultRowDto[];
}

export class TestReviewDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class TestReturnDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiProperty({ description: 'Why the results go back to the analyst' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  comment!: string;
}

export class TestRowView {
  @ApiProperty() parameter!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() method!: string;
  @ApiProperty({ type: [String] }) replicates!: string[];
  @ApiProperty({ nullable: true, type: String }) enteredUnit!: string | null;
  @ApiProperty({ enum: REPORTED_KINDS }) resultKind!: (typeof REPORTED_KINDS)[number];
  @ApiProperty({ nullable: true, type: String, description: 'Mean, bound (LOQ, qualifier), LOD, category or text' })
  value!: string | null;
  @ApiProperty({ example: '< 0,2', description: 'As printed; never 0 for what was not quantified' }) display!: string;
  @ApiProperty({ nullable: true, type: String, description: 'U as reported (≤ 2 significant digits)' })
  expandedUncertainty!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'k of U' }) coverageFactor!: string | null;
  @ApiProperty({
    nullable: true,
    type: () => RowUncertaintyBudgetView,
    description: 'How libs/uncertainty evaluated U: u_c, ν_eff, p, k and U unrounded',
  })
  uncertainty!: RowUncertaintyBudgetView | null;
  @ApiProperty({ nullable: true, type: String }) limitId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '≤ 150' }) limitDisplay!: string | null;
  @ApiProperty({ enum: CONFORMITIES }) conformity!: (typeof CONFORMITIES)[number];
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: [String], description: 'Codes of the equipment used' }) equipment!: string[];
  @ApiProperty() testedOn!: string;
  @ApiProperty({ description: 'The revision this row was measured in (carried over since)' })
  measuredInRevision!: number;
}

export class RowUncertaintyBudgetView {
  @ApiProperty() combinedStandardUncertainty!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'ν_eff; null when infinite' })
  effectiveDegreesOfFreedom!: number | null;
  @ApiProperty() coverageProbability!: number;
  @ApiProperty({ description: 'k, unrounded' }) coverageFactor!: number;
  @ApiProperty({ description: 'U, unrounded' }) expandedUncertainty!: number;
  @ApiProperty({ description: 't distribution, normal, conventional k = 2, or fixed (U and k given)' })
  coverageFactorMethod!: string;
}

export class TestPersonView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class TestRevisionView {
  @ApiProperty() id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ enum: TEST_RESULT_STATUSES }) status!: TestResultStatus;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() testedFrom!: string;
  @ApiProperty() testedTo!: string;
  @ApiProperty({ enum: DECISION_RULES }) decisionRule!: TestDecisionRule;
  @ApiProperty({ nullable: true, enum: ['pass', 'fail', 'conditional'], type: String })
  overall!: 'pass' | 'fail' | 'conditional' | null;
  @ApiProperty({ nullable: true, type: String }) overallReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) deviations!: string | null;
  @ApiProperty({ nullable: true, type: TestEnvironmentDto, description: 'As recorded' })
  environment!: TestEnvironmentDto | null;
  @ApiProperty({ type: TestPersonView }) performedBy!: TestPersonView;
  @ApiProperty({ nullable: true, type: TestPersonView }) reviewedBy!: TestPersonView | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment!: string | null;
  @ApiProperty({ type: [TestRowView] }) rows!: TestRowView[];
}

export class TestResultView {
  @ApiProperty() id!: string;
  @ApiProperty() requestItemId!: string;
  @ApiProperty({ enum: TEST_RESULT_STATUSES }) status!: TestResultStatus;
  @ApiProperty() currentRevision!: number;
  @ApiProperty({ nullable: true, type: Number }) approvedRevision!: number | null;
  @ApiProperty({ type: [TestRevisionView], description: 'Every revision, first to last: a retest keeps the first' })
  revisions!: TestRevisionView[];
}
