import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { IsDecimalString, Optional, trim } from '../../common/validation.js';
import { DATA_QUALITIES, INSTRUMENT_SERVICES, type DataQuality, type ServiceKind } from '../instrument-type.entity.js';
import type { MpeRule } from '../mpe.js';
import { MPE_CONFIDENCES, type MpeConfidence } from '../mpe-rule.entity.js';
import { READINESS_REASONS, type ReadinessReasonCode } from '../readiness.js';

export const TYPE_CODE = /^[A-Z0-9][A-Z0-9_.-]{1,39}$/;

export class ProcedureRefDto {
  @ApiProperty({ example: 'ĐLVN 10' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  code!: string;

  @ApiPropertyOptional({ example: '2017', description: 'Edition (year)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(20)
  version?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class CreateCycleDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 18,
    description: 'Months between periodic verifications; null: no periodic verification',
  })
  @ValidateIf((o: CreateCycleDto) => o.cycleMonths !== null)
  @IsInt({ message: 'cycleMonths must be a whole number of months, or null for no periodic verification' })
  @Min(1)
  @Max(240)
  cycleMonths!: number | null;

  @ApiProperty({ example: '2024-10-15' })
  @IsCalendarDate()
  effectiveFrom!: string;

  @ApiProperty({ example: 'Thông tư 03/2024/TT-BKHCN' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  legalBasis!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ enum: DATA_QUALITIES, default: 'confirmed' })
  @Optional()
  @IsIn(DATA_QUALITIES)
  dataQuality?: DataQuality;
}

export class CreateInstrumentTypeDto {
  @ApiProperty({ example: 'TAXIMETER', description: 'Upper-case letters, digits, _ . -' })
  @Transform(trim)
  @Matches(TYPE_CODE, { message: 'code must be 2 to 40 upper-case letters, digits, "_", "." or "-"' })
  code!: string;

  @ApiProperty({ example: 'Taximet' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  nameVi!: string;

  @ApiProperty({ example: 'Taximeter' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  nameEn!: string;

  @ApiProperty({ example: 'distance/time (fare)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  measuredQuantity!: string;

  @ApiProperty({ example: 'km' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit!: string;

  @ApiProperty({ enum: INSTRUMENT_SERVICES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(INSTRUMENT_SERVICES, {
    each: true,
    message: `each value in services must be one of ${INSTRUMENT_SERVICES.join(', ')}`,
  })
  services!: ServiceKind[];

  @ApiPropertyOptional({ default: false, description: 'phê duyệt mẫu (PDM) required' })
  @Optional()
  @IsBoolean()
  typeApprovalRequired?: boolean;

  @ApiPropertyOptional({ type: [ProcedureRefDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProcedureRefDto)
  procedures?: ProcedureRefDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'MPE rule: {kind: percent_of_reading, p} | {kind: percent_of_full_scale, p} | {kind: fixed, value, unit} | ' +
      '{kind: combined, terms: [rule…], combine?: sum|max} | {kind: by_accuracy_class, classes: {"0.5": rule…}} | ' +
      '{kind: piecewise, steps: [{upTo: number|null, rule}…]}',
    example: {
      kind: 'combined',
      terms: [
        { kind: 'fixed', value: 0.02, unit: 'L' },
        { kind: 'percent_of_reading', p: 0.3 },
      ],
    },
  })
  @IsOptional()
  @IsObject()
  mpeRule?: MpeRule | null;

  @ApiPropertyOptional({
    default: '3',
    description: 'Capability: a verification point is flagged when U > MPE / capabilityDivisor (decimal string ≥ 1)',
  })
  @Optional()
  @IsDecimalString({ positive: true })
  capabilityDivisor?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'The procedure demands the capability: a point with U > MPE / divisor is refused (422)',
  })
  @Optional()
  @IsBoolean()
  capabilityEnforced?: boolean;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: DATA_QUALITIES, default: 'confirmed' })
  @Optional()
  @IsIn(DATA_QUALITIES)
  dataQuality?: DataQuality;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  sourceNote?: string | null;

  @ApiPropertyOptional({ type: [CreateCycleDto], description: 'Initial cycle history; more rows can be added later' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CreateCycleDto)
  cycles?: CreateCycleDto[];
}

/** Cycles are not edited here: a new cycle is a new row with its effective date. */
export class UpdateInstrumentTypeDto extends PartialType(OmitType(CreateInstrumentTypeDto, ['cycles'] as const), {
  skipNullProperties: false,
}) {}

export class InstrumentTypeQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the code or of either name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: INSTRUMENT_SERVICES, description: 'Only types that may receive this service' })
  @IsOptional()
  @IsIn(INSTRUMENT_SERVICES)
  service?: ServiceKind;
}

export class AtDateQuery {
  @ApiPropertyOptional({ example: '2025-03-01', description: 'Default: today in Viet Nam' })
  @IsOptional()
  @IsCalendarDate()
  at?: string;
}

export class CycleView {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: Number }) cycleMonths!: number | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ enum: DATA_QUALITIES }) dataQuality!: DataQuality;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class AddedCycleView extends CycleView {
  @ApiProperty({ description: 'Instruments whose next due date was recomputed' }) instrumentsRecomputed!: number;
}

export class ConfirmMpeRuleDto {
  @ApiProperty({
    example: 'ĐLVN 08:2011, mục 5.3 (bản PDF tcvn.gov.vn)',
    description: 'The document the rule was checked against (procedure, clause, edition)',
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  document!: string;

  @ApiPropertyOptional({ description: 'Anything the next reader should know' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class MpeRuleView {
  @ApiProperty() id!: string;
  @ApiProperty({
    enum: ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration'],
    isArray: true,
  })
  services!: ServiceKind[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The rule in the MPE rule language (see POST /instrument-types)',
  })
  rule!: MpeRule;
  @ApiProperty({ example: '1', description: 'Applied to the rule’s values (e.g. 2: in-service = 2 × initial)' })
  multiplier!: string;
  @ApiProperty() sourceDocument!: string;
  @ApiProperty({ nullable: true, type: String }) sourceClause!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceNote!: string | null;
  @ApiProperty({ enum: MPE_CONFIDENCES }) confidence!: MpeConfidence;
  @ApiProperty({ description: 'Gives verdicts: VERIFIED, entered by the centre, or confirmed by an admin' })
  usable!: boolean;
  @ApiProperty({
    nullable: true,
    type: 'object',
    required: ['by', 'at', 'against'],
    properties: {
      by: { type: 'string', description: 'Who confirmed it' },
      at: { type: 'string', format: 'date-time' },
      against: { type: 'string', description: 'The document it was checked against' },
    },
    description: 'Who confirmed it, when, against which document (null: not confirmed)',
    example: { by: 'uuid', at: '2026-12-01T08:00:00.000Z', against: 'ĐLVN 08:2011, mục 5.3' },
  })
  confirmation!: { by: string; at: string; against: string } | null;
  @ApiProperty({ nullable: true, type: String }) seedKey!: string | null;
}

export class ReadinessReasonView {
  @ApiProperty({ enum: READINESS_REASONS }) code!: ReadinessReasonCode;
  @ApiProperty({
    enum: ['missing', 'warning'],
    description: 'missing: stops the service; warning: seed data to confirm',
  })
  kind!: 'missing' | 'warning';
  @ApiPropertyOptional({ description: 'no_cycle: the date asked about', example: '2026-12-01' }) date?: string;
  @ApiPropertyOptional({ description: 'cycle_without_months: since when that cycle is in force' })
  effectiveFrom?: string;
  @ApiPropertyOptional({ description: 'cycle_uncertain: the months of the cycle in force' }) cycleMonths?: number;
  @ApiPropertyOptional({ enum: MPE_CONFIDENCES, description: 'mpe_rule_unconfirmed: the rule’s grade' })
  confidence?: string;
}

export class ServiceReadinessView {
  @ApiProperty({ enum: INSTRUMENT_SERVICES }) service!: ServiceKind;
  @ApiProperty() ready!: boolean;
  @ApiProperty({
    type: [ReadinessReasonView],
    description:
      'The reasons as codes with the values they name, missing ones first (`missing` and `warnings` say them in English)',
  })
  reasons!: ReadinessReasonView[];
  @ApiProperty({
    type: [String],
    example: ['no verification cycle in force', 'the MPE rule (SECONDARY) is not confirmed by an admin'],
  })
  missing!: string[];
  @ApiProperty({
    type: [String],
    description: 'Usable, but seed data not confirmed',
    example: ['the cycle in force is uncertain'],
  })
  warnings!: string[];
}

export class InstrumentTypeView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty() measuredQuantity!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: INSTRUMENT_SERVICES, isArray: true }) services!: ServiceKind[];
  @ApiProperty() typeApprovalRequired!: boolean;
  @ApiProperty({ type: [ProcedureRefDto] }) procedures!: ProcedureRefDto[];
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The centre’s own rule, for every service (null: none)',
  })
  mpeRule!: MpeRule | null;
  @ApiProperty({ type: [MpeRuleView], description: 'Every MPE rule with its source and confirmation' })
  mpeRules!: MpeRuleView[];
  @ApiProperty({ example: '3' }) capabilityDivisor!: string;
  @ApiProperty() capabilityEnforced!: boolean;
  @ApiProperty({
    description: 'Every verification service of the type can be done now (procedure, cycle, usable MPE rule)',
  })
  readyForVerification!: boolean;
  @ApiProperty({ type: [ServiceReadinessView], description: 'Per service: what is missing, and warnings' })
  readiness!: ServiceReadinessView[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: DATA_QUALITIES }) dataQuality!: DataQuality;
  @ApiProperty({ nullable: true, type: String }) sourceNote!: string | null;
  @ApiProperty({ nullable: true, type: CycleView, description: 'The cycle in force today (null: none known)' })
  currentCycle!: CycleView | null;
  @ApiProperty({ type: [CycleView], description: 'The whole history, oldest first' }) cycles!: CycleView[];
  @ApiProperty({ nullable: true, type: String }) staffEditedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CycleInForceView {
  @ApiProperty() instrumentTypeId!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: CycleView, description: 'null: no cycle is known on that date' })
  cycle!: CycleView | null;
}
