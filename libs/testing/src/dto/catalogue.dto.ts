import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  LIMIT_CONFIDENCES,
  LIMIT_KINDS,
  REGULATION_KINDS,
  RESULT_TYPES,
  SEASONS,
  type LimitConfidence,
  type LimitKind,
  type RegulationKind,
  type ResultType,
  type Season,
} from '../catalogue/catalogue.entity.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** A non-negative decimal written as a string ("0.2"). */
const NON_NEGATIVE_DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;
/** A decimal written as a string, possibly negative ("-5", "23.5"). */
const DECIMAL = /^-?\d{1,9}(\.\d{1,6})?$/;

/** Inclusive bounds of one environmental quantity; null (or absent): unbounded on that side. */
export class QuantityLimitsDto {
  @ApiPropertyOptional({ example: '15', nullable: true, type: String })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @Matches(DECIMAL, { message: 'min must be a decimal written as a string, e.g. "15"' })
  min?: string | null;

  @ApiPropertyOptional({ example: '30', nullable: true, type: String })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @Matches(DECIMAL, { message: 'max must be a decimal written as a string, e.g. "30"' })
  max?: string | null;
}

/** The environmental conditions a test method sets: temperature in °C, humidity in %RH, pressure in kPa. */
export class MethodEnvironmentLimitsDto {
  @ApiPropertyOptional({ type: QuantityLimitsDto, example: { min: '15', max: '30' } })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuantityLimitsDto)
  temperature?: QuantityLimitsDto;

  @ApiPropertyOptional({ type: QuantityLimitsDto, example: { min: null, max: '75' } })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuantityLimitsDto)
  humidity?: QuantityLimitsDto;

  @ApiPropertyOptional({ type: QuantityLimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuantityLimitsDto)
  pressure?: QuantityLimitsDto;
}

export class ConfirmationView {
  @ApiProperty({ description: 'The admin who confirmed it (user id)' }) by!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'The document it was checked against' }) against!: string;
}

export class LimitView {
  @ApiProperty() id!: string;
  @ApiProperty() regulationId!: string;
  @ApiProperty({ example: 'QCVN 01:2022/BKHCN' }) regulationCode!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Quality level (mức); null: every level' })
  level!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Declared grade or variant; null: every grade' })
  grade!: string | null;
  @ApiProperty({ enum: SEASONS, nullable: true, type: String }) season!: Season | null;
  @ApiProperty({ type: String, nullable: true, example: '11-01', description: 'First day of the season (MM-DD)' })
  seasonFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '03-31', description: 'Last day of the season (MM-DD)' })
  seasonTo!: string | null;
  @ApiProperty({ enum: LIMIT_KINDS }) kind!: LimitKind;
  @ApiProperty({ type: String, nullable: true, description: 'Decimal string, inclusive' }) min!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Decimal string, inclusive' }) max!: string | null;
  @ApiProperty({ type: [String], nullable: true }) allowedValues!: string[] | null;
  @ApiProperty({ type: String, nullable: true, description: 'The requirement in the regulation’s words' })
  limitText!: string | null;
  @ApiProperty({ example: '≤ 150', description: 'As the report prints it (Mức quy định)' }) display!: string;
  @ApiProperty() sourceDocument!: string;
  @ApiProperty({ type: String, nullable: true }) sourceNote!: string | null;
  @ApiProperty({ enum: LIMIT_CONFIDENCES }) confidence!: LimitConfidence;
  @ApiProperty({ description: 'Gives conformity statements: VERIFIED, CENTRE, or confirmed by an admin' })
  usable!: boolean;
  @ApiProperty({ type: ConfirmationView, nullable: true }) confirmation!: ConfirmationView | null;
  @ApiProperty({ type: String, nullable: true }) seedKey!: string | null;
}

export class MethodView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'TCVN 6701' }) code!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ASTM D 2622' }) equivalent!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'LOD in the parameter’s unit (decimal string)' })
  lod!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'LOQ in the parameter’s unit (decimal string)' })
  loq!: string | null;
  @ApiProperty({ description: 'In the centre’s accreditation scope (VILAS)' }) accredited!: boolean;
  @ApiProperty({
    type: MethodEnvironmentLimitsDto,
    description:
      'Environmental conditions the method sets ({}: none); a result’s recorded environment is checked against them',
  })
  environmentLimits!: MethodEnvironmentLimitsDto;
  @ApiProperty({ type: String, nullable: true, description: 'Where the environmental limits come from' })
  environmentSource!: string | null;
  @ApiProperty({
    enum: LIMIT_CONFIDENCES,
    nullable: true,
    description: 'How far the environmental limits can be trusted (as for specification limits)',
  })
  environmentConfidence!: LimitConfidence | null;
}

export class ParameterView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'sulphur' }) code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty({ example: 'mg/kg', description: '"-" when dimensionless' }) unit!: string;
  @ApiProperty({ enum: RESULT_TYPES }) resultType!: ResultType;
  @ApiProperty({ type: [String], nullable: true, description: 'Categorical results: the scale, in order' })
  allowedValues!: string[] | null;
  @ApiProperty() position!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [MethodView] }) methods!: MethodView[];
  @ApiProperty({ type: [LimitView] }) limits!: LimitView[];
}

export class ProductRegulationView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'QCVN 01:2022/BKHCN' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: REGULATION_KINDS }) kind!: RegulationKind;
  @ApiProperty({ type: String, nullable: true }) issuedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) issuedOn!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) inForceFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Last day in force' })
  inForceTo!: string | null;
  @ApiProperty({ description: 'In force today (Viet Nam)' }) inForce!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Table or clause for this product' })
  clause!: string | null;
  @ApiProperty({ type: String, nullable: true }) sourceNote!: string | null;
}

export class LimitToConfirmView {
  @ApiProperty() limitId!: string;
  @ApiProperty() parameter!: string;
  @ApiProperty() regulationCode!: string;
  @ApiProperty({ type: String, nullable: true }) level!: string | null;
  @ApiProperty({ type: String, nullable: true }) grade!: string | null;
  @ApiProperty({ type: String, nullable: true }) season!: string | null;
  @ApiProperty({ enum: LIMIT_CONFIDENCES }) confidence!: LimitConfidence;
}

export class ProductReadinessView {
  @ApiProperty({ description: 'Every limit with a value can give a conformity statement' }) ready!: boolean;
  @ApiProperty({ type: [LimitToConfirmView], description: 'Limits an admin must confirm before they are used' })
  needsConfirmation!: LimitToConfirmView[];
  @ApiProperty({ type: [String], description: 'Parameters listed without a limit value (not judged)' })
  withoutLimit!: string[];
}

export class ProductView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'gasoline' }) code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty({ type: [String], description: 'Quality levels (mức) a sample may declare' }) levels!: string[];
  @ApiProperty({ type: [String], description: 'Grades or variants a sample may declare' }) grades!: string[];
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [ProductRegulationView] }) regulations!: ProductRegulationView[];
  @ApiProperty({ type: [ParameterView] }) parameters!: ParameterView[];
  @ApiProperty({ type: ProductReadinessView }) readiness!: ProductReadinessView;
}

export class ConfirmLimitDto {
  @ApiProperty({
    example: 'QCVN 01:2022/BKHCN, bảng 2, chú thích 2) (bản PDF vanban.chinhphu.vn)',
    description: 'The document the limit was checked against (regulation, clause, edition)',
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

export class UpdateMethodDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '0.05',
    description: 'LOD (decimal string); null clears it',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @Matches(NON_NEGATIVE_DECIMAL, { message: 'lod must be a non-negative decimal written as a string, e.g. "0.05"' })
  lod?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '0.2',
    description: 'LOQ (decimal string); null clears it',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @Matches(NON_NEGATIVE_DECIMAL, { message: 'loq must be a non-negative decimal written as a string, e.g. "0.2"' })
  loq?: string | null;

  @ApiPropertyOptional({ description: 'In the centre’s accreditation scope (VILAS)' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsBoolean()
  accredited?: boolean;

  @ApiPropertyOptional({
    type: MethodEnvironmentLimitsDto,
    nullable: true,
    description:
      'The environmental conditions the method sets (replaces them; null or {} clears them). Needs environmentSource unless the method has one.',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @ValidateNested()
  @Type(() => MethodEnvironmentLimitsDto)
  environmentLimits?: MethodEnvironmentLimitsDto | null;

  @ApiPropertyOptional({ example: 'ASTM D5453-19, §8.1', description: 'Where the environmental limits come from' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  environmentSource?: string;

  @ApiPropertyOptional({
    enum: LIMIT_CONFIDENCES,
    description: 'How far they can be trusted; default CENTRE (entered by the centre, which answers for them)',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsIn(LIMIT_CONFIDENCES, { message: `environmentConfidence must be one of ${LIMIT_CONFIDENCES.join(', ')}` })
  environmentConfidence?: LimitConfidence;
}
