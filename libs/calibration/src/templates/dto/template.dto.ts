import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
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
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import {
  ApiBudgetTermModels,
  BUDGET_TERM_TYPE,
  BUDGET_TERMS_SCHEMA,
  BudgetTermBaseDto,
  type BudgetTermDto,
} from '../../budget/budget-term.dto.js';
import { IsDecimalString, Optional, trim } from '../../common/validation.js';
import { DECISION_RULE_KINDS, type DecisionRuleKind } from '../../results/computation.js';

/** The services a template (and a result) can be for: verification kinds and calibration. */
export const TEMPLATE_SERVICES = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
  'calibration',
] as const;
export type TemplateServiceKind = (typeof TEMPLATE_SERVICES)[number];

export class TemplatePointDto {
  @ApiProperty({ example: '0.4', description: 'Nominal value (decimal string)' })
  @IsDecimalString()
  nominal!: string;

  @ApiPropertyOptional({ example: 'MPa', description: "Default: the template's unit" })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit?: string;

  @ApiProperty({ example: 3, description: 'Repeated readings the procedure asks for at this point' })
  @IsInt()
  @Min(1)
  @Max(50)
  readings!: number;
}

export class DecisionRuleDto {
  @ApiProperty({ enum: DECISION_RULE_KINDS, description: 'simple acceptance, or guarded acceptance with w = r·U' })
  @IsIn(DECISION_RULE_KINDS)
  kind!: DecisionRuleKind;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '1',
    description: 'Guarded only: r in w = r·U (default 1)',
  })
  @ValidateIf((o: DecisionRuleDto) => o.guardBandFactor !== undefined && o.guardBandFactor !== null)
  @IsDecimalString({ nonNegative: true })
  guardBandFactor?: string | null;
}

export class LimitDto {
  @ApiPropertyOptional({ example: '18', nullable: true, type: String })
  @ValidateIf((o: LimitDto) => o.min !== undefined && o.min !== null)
  @IsDecimalString()
  min?: string | null;

  @ApiPropertyOptional({ example: '28', nullable: true, type: String })
  @ValidateIf((o: LimitDto) => o.max !== undefined && o.max !== null)
  @IsDecimalString()
  max?: string | null;
}

/** Environmental limits of the procedure: temperature in °C, humidity in %RH, pressure in kPa. */
export class EnvironmentLimitsDto {
  @ApiPropertyOptional({ type: LimitDto, example: { min: '18', max: '28' } })
  @Optional()
  @ValidateNested()
  @Type(() => LimitDto)
  temperature?: LimitDto;

  @ApiPropertyOptional({ type: LimitDto, example: { min: null, max: '80' } })
  @Optional()
  @ValidateNested()
  @Type(() => LimitDto)
  humidity?: LimitDto;

  @ApiPropertyOptional({ type: LimitDto, example: { min: '86', max: '106' } })
  @Optional()
  @ValidateNested()
  @Type(() => LimitDto)
  pressure?: LimitDto;
}

@ApiBudgetTermModels()
export class CreateTemplateDto {
  @ApiProperty()
  @IsUUID()
  instrumentTypeId!: string;

  @ApiProperty({ example: 'Áp kế lò xo 0–1.6 MPa, 5 điểm' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: TEMPLATE_SERVICES, isArray: true, example: ['calibration'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(TEMPLATE_SERVICES, {
    each: true,
    message: `each value in services must be one of ${TEMPLATE_SERVICES.join(', ')}`,
  })
  services!: TemplateServiceKind[];

  @ApiProperty({ example: 'ĐLVN 08', description: "One of the instrument type's procedures (code)" })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  procedureCode!: string;

  @ApiProperty({ example: 'MPa', description: 'Unit of the points' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit!: string;

  @ApiProperty({ type: [TemplatePointDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TemplatePointDto)
  points!: TemplatePointDto[];

  @ApiProperty({
    ...BUDGET_TERMS_SCHEMA,
    description: 'Budget rows applied at every point (see the budget term kinds)',
    example: [
      { kind: 'type_a_readings', name: 'repeatability' },
      { kind: 'reference_standard', name: 'reference standard' },
      { kind: 'type_b_resolution', name: 'resolution' },
      { kind: 'type_b_limits', name: 'temperature effect', halfWidth: '0.0008', distribution: 'rectangular' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BudgetTermBaseDto, BUDGET_TERM_TYPE)
  components!: BudgetTermDto[];

  @ApiPropertyOptional({ type: [String], description: 'Standards normally used (a result may name others)' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  standardIds?: string[];

  @ApiPropertyOptional({ type: DecisionRuleDto, description: 'For verification: the procedure’s rule; default simple' })
  @Optional()
  @ValidateNested()
  @Type(() => DecisionRuleDto)
  decisionRule?: DecisionRuleDto;

  @ApiPropertyOptional({ example: '0.9545', default: '0.9545' })
  @Optional()
  @IsDecimalString({ positive: true })
  coverageProbability?: string;

  @ApiPropertyOptional({ type: EnvironmentLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => EnvironmentLimitsDto)
  environmentLimits?: EnvironmentLimitsDto;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateTemplateDto extends PartialType(OmitType(CreateTemplateDto, ['instrumentTypeId'] as const)) {}

export class TemplateQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  instrumentTypeId?: string;

  @ApiPropertyOptional({ enum: TEMPLATE_SERVICES })
  @IsOptional()
  @IsIn(TEMPLATE_SERVICES)
  service?: TemplateServiceKind;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class WorksheetQuery {
  @ApiProperty({ description: 'The instrument to be measured (its class, range and resolution fill the sheet)' })
  @IsUUID()
  instrumentId!: string;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'Measurement date; default today in Viet Nam' })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class ProcedureView {
  @ApiProperty({ example: 'ĐLVN 08' }) code!: string;
  @ApiProperty({ nullable: true, type: String, example: '2011' }) version!: string | null;
}

export class TemplateView {
  @ApiProperty() id!: string;
  @ApiProperty() instrumentTypeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TEMPLATE_SERVICES, isArray: true }) services!: string[];
  @ApiProperty({ type: ProcedureView }) procedure!: ProcedureView;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: [TemplatePointDto] }) points!: TemplatePointDto[];
  @ApiProperty(BUDGET_TERMS_SCHEMA) components!: BudgetTermDto[];
  @ApiProperty({ type: [String] }) standardIds!: string[];
  @ApiProperty({ type: DecisionRuleDto }) decisionRule!: DecisionRuleDto;
  @ApiProperty({ example: '0.9545' }) coverageProbability!: string;
  @ApiProperty({ type: EnvironmentLimitsDto }) environmentLimits!: EnvironmentLimitsDto;
  @ApiProperty() active!: boolean;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
