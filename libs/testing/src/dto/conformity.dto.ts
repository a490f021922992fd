import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
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
import { LIMIT_CONFIDENCES, LIMIT_KINDS, type LimitConfidence, type LimitKind } from '../catalogue/catalogue.entity.js';

export const CONFORMITIES = ['pass', 'fail', 'conditional', 'not_judged'] as const;
export const DECISIONS = ['pass', 'conditional_pass', 'conditional_fail', 'fail'] as const;
export const REPORTED_KINDS = ['value', 'below', 'above', 'not_detected', 'category', 'text'] as const;

export class ResultInputDto {
  @ApiProperty({ example: 'sulphur', description: 'Parameter code of the product' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  parameter!: string;

  @ApiPropertyOptional({
    example: 'TCVN 7760',
    description: 'Method code (its LOD/LOQ apply); default: the first listed',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  method?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['162', '165'],
    description: 'Replicates: decimal strings, "<0.2" (below a bound), ">40" (qualifier), or "KPH" (not detected)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  replicates?: string[];

  @ApiPropertyOptional({ example: '1a', description: 'Categorical or text result' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  value?: string;

  @ApiPropertyOptional({
    example: '4.2',
    description: 'Expanded uncertainty U of the mean (decimal string), same unit',
  })
  @IsOptional()
  @Matches(/^\d{1,15}(\.\d{1,12})?$/, { message: 'expandedUncertainty must be a non-negative decimal string' })
  expandedUncertainty?: string;
}

export class EvaluateConformityDto {
  @ApiProperty() @IsUUID() productId!: string;

  @ApiProperty({
    example: '2026-01-15',
    description: 'Test date: the regulation edition and season in force on it apply',
  })
  @IsCalendarDate()
  testDate!: string;

  @ApiPropertyOptional({ example: '3', description: 'Quality level (mức) the sample declares' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  level?: string;

  @ApiPropertyOptional({ example: '95', description: 'Grade or variant the sample declares (RON 95 → "95")' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  grade?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['QCVN 01:2022/BKHCN'],
    description: 'Regulation codes, in precedence; default: the product’s regulations and circulars (not standards)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  regulations?: string[];

  @ApiPropertyOptional({ enum: ['simple', 'guarded'], default: 'simple', description: 'ILAC-G8 decision rule' })
  @IsOptional()
  @IsIn(['simple', 'guarded'])
  decisionRule?: 'simple' | 'guarded';

  @ApiPropertyOptional({ default: 1, description: 'Guarded rule: w = factor × U' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(3)
  guardBandFactor?: number;

  @ApiProperty({ type: [ResultInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ResultInputDto)
  results!: ResultInputDto[];
}

export class LabelView {
  @ApiProperty({ example: 'Không đạt' }) vi!: string;
  @ApiProperty({ example: 'Fail' }) en!: string;
}

export class AppliedLimitView {
  @ApiProperty() id!: string;
  @ApiProperty() regulationCode!: string;
  @ApiProperty({ type: String, nullable: true }) level!: string | null;
  @ApiProperty({ type: String, nullable: true }) grade!: string | null;
  @ApiProperty({ type: String, nullable: true }) season!: string | null;
  @ApiProperty({ enum: LIMIT_KINDS }) kind!: LimitKind;
  @ApiProperty({ example: '≤ 150' }) display!: string;
  @ApiProperty({ enum: LIMIT_CONFIDENCES }) confidence!: LimitConfidence;
}

export class EvaluatedRowView {
  @ApiProperty() parameter!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) method!: string | null;
  @ApiProperty({ enum: REPORTED_KINDS }) resultKind!: (typeof REPORTED_KINDS)[number];
  @ApiProperty({ type: String, nullable: true, description: 'The mean, or the category/text (decimal point)' })
  value!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '"below"/"above": the bound (LOQ or qualifier)' })
  bound!: string | null;
  @ApiProperty({ example: '< 0,2', description: 'As the report prints it (decimal comma); never 0 below the LOQ' })
  display!: string;
  @ApiProperty({ type: AppliedLimitView, nullable: true }) limit!: AppliedLimitView | null;
  @ApiProperty({ enum: CONFORMITIES }) conformity!: (typeof CONFORMITIES)[number];
  @ApiProperty({ enum: DECISIONS, nullable: true, type: String }) decision!: (typeof DECISIONS)[number] | null;
  @ApiProperty({ type: LabelView }) label!: LabelView;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class EvaluationView {
  @ApiProperty() productId!: string;
  @ApiProperty() productCode!: string;
  @ApiProperty({ format: 'date' }) testDate!: string;
  @ApiProperty({ type: String, nullable: true }) level!: string | null;
  @ApiProperty({ type: String, nullable: true }) grade!: string | null;
  @ApiProperty({ type: [String] }) regulations!: string[];
  @ApiProperty({ enum: ['simple', 'guarded'] }) decisionRule!: 'simple' | 'guarded';
  @ApiProperty({ type: [EvaluatedRowView] }) rows!: EvaluatedRowView[];
  @ApiProperty({ enum: CONFORMITIES, nullable: true, type: String, description: 'null: no overall statement' })
  overall!: (typeof CONFORMITIES)[number] | null;
  @ApiProperty({ type: LabelView, nullable: true }) overallLabel!: LabelView | null;
  @ApiProperty({ type: String, nullable: true }) overallReason!: string | null;
}
