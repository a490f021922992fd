import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsDecimalString, Optional, trim } from '../common/validation.js';
import { LIMIT_DISTRIBUTIONS } from '../uncertainty-api/dto/evaluate.dto.js';

/**
 * How one row of a point's uncertainty budget is obtained (templates and results). Unlike
 * /uncertainty/evaluate, values are decimal strings and some rows take their value from the record:
 * - type_a_readings: Type A from the point's repeated readings (u = s/√n, ν = n − 1);
 * - reference_standard: Type B, U and k from the calibration certificate of a standard used, in force
 *   on the measurement date (the stated value nearest the point's nominal, in the point's unit);
 * - type_b_resolution: the resolution of the instrument under test (a = d/2, rectangular) unless given;
 * - type_b_limits / type_b_expanded / type_b_standard / type_a: values given here (e.g. a temperature effect).
 */
export const BUDGET_TERM_KINDS = [
  'type_a_readings',
  'reference_standard',
  'type_b_resolution',
  'type_b_limits',
  'type_b_expanded',
  'type_b_standard',
  'type_a',
] as const;
export type BudgetTermKind = (typeof BUDGET_TERM_KINDS)[number];

export class BudgetTermBaseDto {
  @ApiProperty({ enum: BUDGET_TERM_KINDS, description: 'Selects the other fields (discriminator)' })
  @IsIn(BUDGET_TERM_KINDS, { message: `kind must be one of ${BUDGET_TERM_KINDS.join(', ')}` })
  kind!: BudgetTermKind;

  @ApiProperty({ example: 'reference standard', description: 'Unique row name within the budget' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: '1', default: '1', description: 'Sensitivity coefficient cᵢ' })
  @Optional()
  @IsDecimalString()
  sensitivityCoefficient?: string;

  @ApiPropertyOptional({ example: 'MPa' })
  @Optional()
  @IsString()
  @MaxLength(30)
  unit?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

class TypeBTermDto extends BudgetTermBaseDto {
  @ApiPropertyOptional({ example: '50', description: 'νᵢ (> 0); omitted = infinite' })
  @Optional()
  @IsDecimalString({ positive: true })
  degreesOfFreedom?: string;
}

export class ReadingsTermDto extends BudgetTermBaseDto {
  @ApiProperty({ enum: ['type_a_readings'] }) declare kind: 'type_a_readings';
}

export class ReferenceStandardTermDto extends TypeBTermDto {
  @ApiProperty({ enum: ['reference_standard'] }) declare kind: 'reference_standard';

  @ApiPropertyOptional({ description: 'Which standard of the result; default: the first standard used' })
  @Optional()
  @IsUUID()
  standardId?: string;
}

export class ResolutionTermDto extends TypeBTermDto {
  @ApiProperty({ enum: ['type_b_resolution'] }) declare kind: 'type_b_resolution';

  @ApiPropertyOptional({ example: '0.01', description: "Default: the instrument's resolution (registry)" })
  @Optional()
  @IsDecimalString({ nonNegative: true })
  resolution?: string;
}

export class LimitsTermDto extends TypeBTermDto {
  @ApiProperty({ enum: ['type_b_limits'] }) declare kind: 'type_b_limits';

  @ApiProperty({ example: '0.0008', description: 'Half-width a' })
  @IsDecimalString({ nonNegative: true })
  halfWidth!: string;

  @ApiProperty({ enum: LIMIT_DISTRIBUTIONS })
  @IsIn(LIMIT_DISTRIBUTIONS)
  distribution!: (typeof LIMIT_DISTRIBUTIONS)[number];

  @ApiPropertyOptional({ example: '2', description: 'Required with the normal distribution' })
  @ValidateIf((o: LimitsTermDto) => o.distribution === 'normal' || o.coverageFactor !== undefined)
  @IsDecimalString({ positive: true })
  coverageFactor?: string;
}

export class ExpandedTermDto extends TypeBTermDto {
  @ApiProperty({ enum: ['type_b_expanded'] }) declare kind: 'type_b_expanded';
  @ApiProperty({ example: '0.0016' }) @IsDecimalString({ nonNegative: true }) expandedUncertainty!: string;
  @ApiProperty({ example: '2' }) @IsDecimalString({ positive: true }) coverageFactor!: string;
}

export class StandardUncertaintyTermDto extends TypeBTermDto {
  @ApiProperty({ enum: ['type_b_standard'] }) declare kind: 'type_b_standard';
  @ApiProperty({ example: '0.0005' }) @IsDecimalString({ nonNegative: true }) standardUncertainty!: string;
}

export class TypeATermDto extends BudgetTermBaseDto {
  @ApiProperty({ enum: ['type_a'] }) declare kind: 'type_a';
  @ApiProperty({ example: '0.0004' }) @IsDecimalString({ nonNegative: true }) standardUncertainty!: string;
  @ApiProperty({ example: '9' }) @IsDecimalString({ positive: true }) degreesOfFreedom!: string;
}

export const BUDGET_TERM_DTOS = [
  { value: ReadingsTermDto, name: 'type_a_readings' },
  { value: ReferenceStandardTermDto, name: 'reference_standard' },
  { value: ResolutionTermDto, name: 'type_b_resolution' },
  { value: LimitsTermDto, name: 'type_b_limits' },
  { value: ExpandedTermDto, name: 'type_b_expanded' },
  { value: StandardUncertaintyTermDto, name: 'type_b_standard' },
  { value: TypeATermDto, name: 'type_a' },
];

export type BudgetTermDto =
  | ReadingsTermDto
  | ReferenceStandardTermDto
  | ResolutionTermDto
  | LimitsTermDto
  | ExpandedTermDto
  | StandardUncertaintyTermDto
  | TypeATermDto;

/** For @Type on a property holding terms: class-transformer picks the class by `kind`. */
export const BUDGET_TERM_TYPE = {
  discriminator: { property: 'kind', subTypes: BUDGET_TERM_DTOS },
  keepDiscriminatorProperty: true,
};

/** OpenAPI schema of a list of terms. */
export const BUDGET_TERMS_SCHEMA = {
  type: 'array' as const,
  items: {
    oneOf: BUDGET_TERM_DTOS.map((d) => ({ $ref: getSchemaPath(d.value) })),
    discriminator: {
      propertyName: 'kind',
      mapping: Object.fromEntries(BUDGET_TERM_DTOS.map((d) => [d.name, getSchemaPath(d.value)])),
    },
  },
};

export const ApiBudgetTermModels = (): ClassDecorator => ApiExtraModels(...BUDGET_TERM_DTOS.map((d) => d.value));
