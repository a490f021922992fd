import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COVERAGE_FACTOR_FALLBACKS, type CoverageFactorFallbackKind } from '#libs/uncertainty';
import { Optional } from '../../common/validation.js';

/** Every component kind of the maths library (libs/uncertainty `ComponentKind`). */
export const COMPONENT_KINDS = [
  'type_a_readings',
  'type_a',
  'type_b_expanded',
  'type_b_limits',
  'type_b_resolution',
  'type_b_standard',
] as const;
export type ComponentKindName = (typeof COMPONENT_KINDS)[number];

export const LIMIT_DISTRIBUTIONS = ['rectangular', 'triangular', 'u_shaped', 'normal'] as const;

const FINITE = { allowInfinity: false, allowNaN: false } as const;

/**
 * What every input quantity has. Also the fallback class for an unknown `kind`, so that the 400 names
 * `components[i].kind` rather than failing silently.
 */
export class ComponentBaseDto {
  @ApiProperty({ enum: COMPONENT_KINDS, description: 'Selects the other fields (discriminator)' })
  @IsIn(COMPONENT_KINDS, { message: `kind must be one of ${COMPONENT_KINDS.join(', ')}` })
  kind!: ComponentKindName;

  @ApiProperty({ example: 'repeatability', description: 'Unique row name within the budget' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: 1, default: 1, description: 'Sensitivity coefficient cᵢ = ∂f/∂xᵢ' })
  @Optional()
  @IsNumber(FINITE)
  sensitivityCoefficient?: number;

  @ApiPropertyOptional({ example: 'MPa', description: 'Unit of u(xᵢ); informational' })
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

class EstimatedComponentDto extends ComponentBaseDto {
  @ApiPropertyOptional({ description: 'Input estimate xᵢ; informational' })
  @Optional()
  @IsNumber(FINITE)
  estimate?: number;
}

class TypeBComponentDto extends EstimatedComponentDto {
  @ApiPropertyOptional({ description: 'Degrees of freedom νᵢ (> 0); omitted = infinite (u exactly known)' })
  @Optional()
  @IsNumber(FINITE)
  @Min(Number.MIN_VALUE, { message: 'degreesOfFreedom must be greater than 0 (omit it for infinite)' })
  degreesOfFreedom?: number;
}

export class PooledStandardDeviationDto {
  @ApiProperty({ example: 0.0012 })
  @IsNumber(FINITE)
  @Min(0)
  standardDeviation!: number;

  @ApiProperty({ example: 19 })
  @IsNumber(FINITE)
  @Min(Number.MIN_VALUE, { message: 'degreesOfFreedom must be greater than 0' })
  degreesOfFreedom!: number;
}

/** Type A from repeated readings: u = s/√n, ν = n − 1. */
export class TypeAReadingsComponentDto extends ComponentBaseDto {
  @ApiProperty({ enum: ['type_a_readings'] })
  declare kind: 'type_a_readings';

  @ApiProperty({ type: [Number], example: [1.002, 1.003, 1.001], description: '≥ 2 readings (≥ 1 with a pooled s)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsNumber(FINITE, { each: true, message: 'each reading must be a finite number' })
  readings!: number[];

  @ApiPropertyOptional({
    type: PooledStandardDeviationDto,
    description: 'Pooled s from a prior evaluation (GUM 4.2.4)',
  })
  @Optional()
  @ValidateNested()
  @Type(() => PooledStandardDeviationDto)
  pooledStandardDeviation?: PooledStandardDeviationDto;
}

/** Type A given directly: u and ν. */
export class TypeAComponentDto extends EstimatedComponentDto {
  @ApiProperty({ enum: ['type_a'] })
  declare kind: 'type_a';

  @ApiProperty({ example: 0.0004 })
  @IsNumber(FINITE)
  @Min(0)
  standardUncertainty!: number;

  @ApiProperty({ example: 9 })
  @IsNumber(FINITE)
  @Min(Number.MIN_VALUE, { message: 'degreesOfFreedom must be greater than 0' })
  degreesOfFreedom!: number;
}

/** Type B from an expanded uncertainty U with its coverage factor k (a certificate): u = U/k. */
export class TypeBExpandedComponentDto extends TypeBComponentDto {
  @ApiProperty({ enum: ['type_b_expanded'] })
  declare kind: 'type_b_expanded';

  @ApiProperty({ example: 0.0016 })
  @IsNumber(FINITE)
  @Min(0)
  expandedUncertainty!: number;

  @ApiProperty({ example: 2 })
  @IsNumber(FINITE)
  @Min(Number.MIN_VALUE, { message: 'coverageFactor must be greater than 0' })
  coverageFactor!: number;
}

/** Type B from limits ±a: rectangular a/√3, triangular a/√6, U-shaped a/√2, normal a/k. */
export class TypeBLimitsComponentDto extends TypeBComponentDto {
  @ApiProperty({ enum: ['type_b_limits'] })
  declare kind: 'type_b_limits';

  @ApiProperty({ example: 0.002, description: 'Half-width a' })
  @IsNumber(FINITE)
  @Min(0)
  halfWidth!: number;

  @ApiProperty({ enum: LIMIT_DISTRIBUTIONS })
  @IsIn(LIMIT_DISTRIBUTIONS)
  distribution!: (typeof LIMIT_DISTRIBUTIONS)[number];

  @ApiPropertyOptional({ example: 2, description: 'Required with the normal distribution: a = k·u' })
  @ValidateIf((o: TypeBLimitsComponentDto) => o.distribution === 'normal' || o.coverageFactor !== undefined)
  @IsNumber(FINITE)
  @Min(Number.MIN_VALUE, { message: 'coverageFactor must be greater than 0' })
  coverageFactor?: number;
}

/** Type B from the resolution d of a display: rectangular with a = d/2. */
export class TypeBResolutionComponentDto extends TypeBComponentDto {
  @ApiProperty({ enum: ['type_b_resolution'] })
  declare kind: 'type_b_resolution';

  @ApiProperty({ example: 0.01 })
  @IsNumber(FINITE)
  @Min(0)
  resolution!: number;
}

/** Type B standard uncertainty given directly. */
export class TypeBStandardComponentDto extends TypeBComponentDto {
  @ApiProperty({ enum: ['type_b_standard'] })
  declare kind: 'type_b_standard';

  @ApiProperty({ example: 0.0005 })
  @IsNumber(FINITE)
  @Min(0)
  standardUncertainty!: number;
}

export const COMPONENT_DTOS = [
  { value: TypeAReadingsComponentDto, name: 'type_a_readings' },
  { value: TypeAComponentDto, name: 'type_a' },
  { value: TypeBExpandedComponentDto, name: 'type_b_expanded' },
  { value: TypeBLimitsComponentDto, name: 'type_b_limits' },
  { value: TypeBResolutionComponentDto, name: 'type_b_resolution' },
  { value: TypeBStandardComponentDto, name: 'type_b_standard' },
];

export type ComponentDto =
  | TypeAReadingsComponentDto
  | TypeAComponentDto
  | TypeBExpandedComponentDto
  | TypeBLimitsComponentDto
  | TypeBResolutionComponentDto
  | TypeBStandardComponentDto;

export class CorrelationDto {
  @ApiProperty({ example: 'reference standard' }) @IsString() @IsNotEmpty() @MaxLength(100) first!: string;
  @ApiProperty({ example: 'temperature' }) @IsString() @IsNotEmpty() @MaxLength(100) second!: string;
  @ApiProperty({ example: 0.5, minimum: -1, maximum: 1 }) @IsNumber(FINITE) @Min(-1) @Max(1) coefficient!: number;
}

const EVALUATE_EXAMPLE = {
  components: [
    { kind: 'type_a_readings', name: 'repeatability', unit: 'MPa', readings: [1.002, 1.003, 1.001] },
    { kind: 'type_b_expanded', name: 'reference standard', expandedUncertainty: 0.0016, coverageFactor: 2 },
    { kind: 'type_b_resolution', name: 'resolution', resolution: 0.005 },
    { kind: 'type_b_limits', name: 'temperature effect', halfWidth: 0.0008, distribution: 'rectangular' },
  ],
  result: 0.002,
};

/** bảng ngân sách độ không đảm bảo đo — a budget to evaluate; mirrors the maths library's BudgetInput. */
@ApiExtraModels(...COMPONENT_DTOS.map((d) => d.value))
export class EvaluateBudgetDto {
  @ApiProperty({
    description:
      'Input quantities; `kind` selects the fields: type_a_readings {readings, pooledStandardDeviation?}, ' +
      'type_a {standardUncertainty, degreesOfFreedom}, type_b_expanded {expandedUncertainty, coverageFactor}, ' +
      'type_b_limits {halfWidth, distribution, coverageFactor (normal only)}, type_b_resolution {resolution}, ' +
      'type_b_standard {standardUncertainty}. Type B degrees of freedom default to infinite.',
    type: 'array',
    items: {
      oneOf: COMPONENT_DTOS.map((d) => ({ $ref: getSchemaPath(d.value) })),
      discriminator: {
        propertyName: 'kind',
        mapping: Object.fromEntries(COMPONENT_DTOS.map((d) => [d.name, getSchemaPath(d.value)])),
      },
    },
    example: EVALUATE_EXAMPLE.components,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ComponentBaseDto, {
    discriminator: { property: 'kind', subTypes: COMPONENT_DTOS },
    keepDiscriminatorProperty: true,
  })
  components!: ComponentDto[];

  @ApiPropertyOptional({ type: [CorrelationDto], description: 'Pairs not listed are uncorrelated' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CorrelationDto)
  correlations?: CorrelationDto[];

  @ApiPropertyOptional({ example: 0.9545, default: 0.9545, description: 'Coverage probability p, in (0, 1)' })
  @Optional()
  @IsNumber(FINITE)
  coverageProbability?: number;

  @ApiPropertyOptional({ enum: ['truncate', 'exact'], default: 'truncate', description: 'ν_eff for the t lookup' })
  @Optional()
  @IsIn(['truncate', 'exact'])
  dofMode?: 'truncate' | 'exact';

  @ApiPropertyOptional({ default: true, description: 'k = 2 exactly for p = 95.45 % and infinite ν_eff' })
  @Optional()
  @IsBoolean()
  conventionalK2?: boolean;

  @ApiPropertyOptional({ description: 'A fixed k imposed by a procedure (bypasses the t distribution)' })
  @Optional()
  @IsNumber(FINITE)
  coverageFactor?: number;

  @ApiPropertyOptional({
    enum: COVERAGE_FACTOR_FALLBACKS,
    description:
      'Where Welch–Satterthwaite does not apply (a correlated input with finite ν, ν_eff < 1, or k > 10) the budget ' +
      "is refused with 422 `uncertainty.welch_satterthwaite_not_applicable`; 'k2' imposes k = 2 instead and states why " +
      'in `coverageFactorFallback`',
  })
  @Optional()
  @IsIn(COVERAGE_FACTOR_FALLBACKS)
  coverageFactorFallback?: CoverageFactorFallbackKind;

  @ApiPropertyOptional({ example: 0.002, description: 'Measurement result y, to be rounded to the place of U' })
  @Optional()
  @IsNumber(FINITE)
  result?: number;

  @ApiPropertyOptional({ enum: [1, 2], default: 2, description: 'Significant digits of the reported U' })
  @Optional()
  @IsIn([1, 2])
  significantDigits?: 1 | 2;
}

export class ContributionView {
  @ApiProperty({ example: 'repeatability' }) name!: string;
  @ApiProperty({ enum: COMPONENT_KINDS }) kind!: string;
  @ApiPropertyOptional({ example: 'MPa' }) unit?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ example: '1.002', description: 'xᵢ (mean of the readings for Type A)' }) estimate?: string;
  @ApiPropertyOptional({ example: '0.001', description: 's(qₖ) of the readings (Type A from readings)' })
  experimentalStandardDeviation?: string;
  @ApiPropertyOptional({ example: 3 }) observations?: number;
  @ApiProperty({ example: '0.0005773502691896258', description: 'u(xᵢ)' }) standardUncertainty!: string;
  @ApiProperty({ example: '1', description: 'cᵢ' }) sensitivityCoefficient!: string;
  @ApiProperty({ example: '0.0005773502691896258', description: 'cᵢ·u(xᵢ), signed' })
  uncertaintyContribution!: string;
  @ApiProperty({ nullable: true, type: String, example: '2', description: 'νᵢ; null when infinite' })
  degreesOfFreedom!: string | null;
  @ApiProperty({ example: false }) degreesOfFreedomInfinite!: boolean;
  @ApiProperty({ example: '31.4', description: '(cᵢuᵢ)² / u_c² × 100' }) varianceSharePercent!: string;
}

export class RoundedUncertaintyView {
  @ApiProperty({ example: '0.0025', description: 'U as reported: at most 2 significant digits' }) value!: string;
  @ApiProperty({ example: 4 }) decimalPlaces!: number;
  @ApiProperty({ example: 2 }) significantDigits!: number;
  @ApiProperty({ example: false, description: 'Rounded up under the 5 % rule' }) roundedUp!: boolean;
}

/** k = 2 imposed on request where Welch–Satterthwaite does not apply, with the reason to print. */
export class CoverageFactorFallbackView {
  @ApiProperty({ enum: COVERAGE_FACTOR_FALLBACKS }) kind!: string;
  @ApiProperty({ example: '2' }) coverageFactor!: string;
  @ApiProperty({ enum: ['correlated_finite_dof', 'effective_dof_below_one', 'coverage_factor_too_large'] })
  problem!: string;
  @ApiProperty({ example: 'a (ν = 4) and b (ν = 4) are correlated (r = 0.95); … k = 2 imposed as requested' })
  reason!: string;
}

export class RoundedResultView {
  @ApiProperty({ example: '0.0020' }) value!: string;
  @ApiProperty({ example: 4 }) decimalPlaces!: number;
}

/**
 * The evaluated budget. Numbers are decimal strings, unrounded except the rounded U and result.
 * ν = ∞ cannot be written in JSON: an infinite ν is `null` with `…Infinite: true` beside it.
 */
export class BudgetEvaluationView {
  @ApiProperty({ type: [ContributionView] }) contributions!: ContributionView[];
  @ApiProperty({ example: '0.001029', description: 'u_c' }) combinedStandardUncertainty!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '12.3',
    description: 'ν_eff (Welch–Satterthwaite), unrounded; null when infinite',
  })
  effectiveDegreesOfFreedom!: string | null;
  @ApiProperty({ example: false }) effectiveDegreesOfFreedomInfinite!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '12',
    description: 'ν used for k (truncated); null when infinite or when k was imposed',
  })
  degreesOfFreedomForCoverage!: string | null;
  @ApiProperty({ example: '0.9545' }) coverageProbability!: string;
  @ApiProperty({ example: '2.2', description: 'k, unrounded' }) coverageFactor!: string;
  @ApiProperty({ enum: ['student_t', 'normal', 'conventional_k2', 'fixed', 'fallback_k2'] })
  coverageFactorMethod!: string;
  @ApiPropertyOptional({
    type: CoverageFactorFallbackView,
    description: 'Present only when k = 2 was imposed because Welch–Satterthwaite did not apply (as requested)',
  })
  coverageFactorFallback?: CoverageFactorFallbackView;
  @ApiProperty({ example: '0.00226', description: 'U = k·u_c, unrounded' }) expandedUncertainty!: string;
  @ApiProperty({ type: RoundedUncertaintyView }) roundedExpandedUncertainty!: RoundedUncertaintyView;
  @ApiPropertyOptional({ type: RoundedResultView, description: 'Present when `result` was given' })
  roundedResult?: RoundedResultView;
}
