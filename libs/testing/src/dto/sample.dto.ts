import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '#libs/core';
import { ITEM_STATUSES, RequestSummaryView, type ItemStatus } from '#libs/requests';
import { CUSTODY_STATES, type CustodyState } from '../samples/custody.js';
import {
  CUSTODY_EVENT_KINDS,
  SAMPLE_DECISION_RULES,
  SAMPLED_BY,
  type CustodyEventKind,
  type SampleDecisionRule,
  type SampledBy,
} from '../samples/sample.entity.js';

/** The most samples one submission carries. */
export const MAX_SAMPLES_PER_REQUEST = 200;
/** The most portions one split makes (suffixes A…Z). */
export const MAX_PORTIONS_PER_SPLIT = 26;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class SamplingInputDto {
  @ApiProperty({ enum: SAMPLED_BY, description: 'customer: sent by the customer (mẫu do khách hàng gửi)' })
  @IsIn(SAMPLED_BY, { message: `by must be one of ${SAMPLED_BY.join(', ')}` })
  by!: SampledBy;

  @ApiPropertyOptional({ example: 'Nguyễn Văn An', description: 'Who took it: required unless by is customer' })
  @ValidateIf((o: SamplingInputDto) => o.by !== 'customer' || o.samplerName !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'samplerName is required when the centre or an inspector took the sample' })
  @MaxLength(200)
  samplerName?: string;

  @ApiPropertyOptional({ example: 'Cửa hàng xăng dầu số 5, bể số 2' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  place?: string;

  @ApiPropertyOptional({ example: '2026-11-30T08:30:00+07:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'sampledAt must be an ISO 8601 date and time' })
  sampledAt?: string;

  @ApiPropertyOptional({ example: 'TCVN 6777:2007 (ASTM D4057)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  method?: string;

  @ApiPropertyOptional({ type: [String], example: ['NP-001234'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  sealNumbers?: string[];
}

export class InspectionInputDto {
  @ApiProperty({
    example: 'BB-LM 125/2026',
    description: 'The inspection reference (biên bản lấy mẫu, quyết định kiểm tra)',
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reference is required' })
  @MaxLength(200)
  reference!: string;

  @ApiPropertyOptional({ example: 'Chi cục Tiêu chuẩn Đo lường Chất lượng' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  authority?: string;
}

export class SampleInputDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A product of the testing catalogue (GET /testing/products); give productId or productCode',
  })
  @ValidateIf((o: SampleInputDto) => o.productCode === undefined || o.productId !== undefined)
  @IsUUID('all', { message: 'productId must be a product id (UUID); or give productCode' })
  productId?: string;

  @ApiPropertyOptional({ example: 'gasoline', description: 'The product by its code; give productId or productCode' })
  @ValidateIf((o: SampleInputDto) => o.productId === undefined || o.productCode !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  productCode?: string;

  @ApiPropertyOptional({ example: '3', description: "The quality level (mức) declared: one of the product's levels" })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  level?: string;

  @ApiPropertyOptional({ example: 'RON 95', description: "The grade declared: one of the product's grades" })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  grade?: string;

  @ApiPropertyOptional({ example: 'Lô 2611-03' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  lot?: string;

  @ApiProperty({ example: 2 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 }, { message: 'quantity must be a number' })
  @IsPositive({ message: 'quantity must be above 0' })
  quantity!: number;

  @ApiProperty({ example: 'L' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'quantityUnit is required' })
  @MaxLength(30)
  quantityUnit!: string;

  @ApiPropertyOptional({ example: '2 chai thủy tinh màu nâu 1 L, nút kín' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  packaging?: string;

  @ApiProperty({ type: SamplingInputDto })
  @ValidateNested()
  @Type(() => SamplingInputDto)
  sampling!: SamplingInputDto;

  @ApiPropertyOptional({ example: '≤ 25 °C, tránh ánh sáng' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  storage?: string;

  @ApiPropertyOptional({ example: '2027-02-28', description: 'Retained at least until (no disposal before)' })
  @IsOptional()
  @IsCalendarDate()
  retainUntil?: string;

  @ApiPropertyOptional({ enum: SAMPLE_DECISION_RULES, default: 'simple', description: 'ILAC-G8 decision rule' })
  @IsOptional()
  @IsIn(SAMPLE_DECISION_RULES, { message: `decisionRule must be one of ${SAMPLE_DECISION_RULES.join(', ')}` })
  decisionRule?: SampleDecisionRule;

  @ApiPropertyOptional({
    type: InspectionInputDto,
    description: 'Market surveillance (staff only): required when sampling.by is inspector, refused otherwise',
  })
  @ValidateIf((o: SampleInputDto) => o.sampling?.by === 'inspector' || o.inspection !== undefined)
  @IsNotEmpty({ message: 'inspection is required when the sample was taken by an inspector' })
  @ValidateNested()
  @Type(() => InspectionInputDto)
  inspection?: InspectionInputDto;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class SubmitSamplesDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Staff: required (the owner of the samples). A business key submits for its own organization.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be an organization id (UUID)' })
  organizationId?: string;

  @ApiPropertyOptional({ example: '2026-12-03', description: 'Not in the past' })
  @IsOptional()
  @IsCalendarDate()
  preferredDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  notes?: string;

  @ApiProperty({ type: [SampleInputDto], minItems: 1, maxItems: MAX_SAMPLES_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1, { message: 'samples must name at least one sample' })
  @ArrayMaxSize(MAX_SAMPLES_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => SampleInputDto)
  samples!: SampleInputDto[];
}

export class SampleProductRef {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'gasoline' }) code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
}

export class SamplingView {
  @ApiProperty({ enum: SAMPLED_BY }) by!: SampledBy;
  @ApiProperty({ nullable: true, type: String }) samplerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) place!: string | null;
  @ApiProperty({ nullable: true, type: String }) sampledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) method!: string | null;
  @ApiProperty({ type: [String] }) sealNumbers!: string[];
}

export class InspectionView {
  @ApiProperty() reference!: string;
  @ApiProperty({ nullable: true, type: String }) authority!: string | null;
}

export class SampleResultsAccessView {
  @ApiProperty({ description: "Whether the owner (the request's organization) may read the results now" })
  ownerMayRead!: boolean;
  @ApiProperty({ nullable: true, type: String, description: "An inspector's sample: when released to the owner" })
  releasedAt!: string | null;
}

export class SampleView {
  @ApiProperty({ description: 'The request item this sample is' }) itemId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'Position in the request, from 0' }) ordinal!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The sample code: the label given at receipt' })
  code!: string | null;
  @ApiProperty({ enum: ITEM_STATUSES, description: "The item's workflow status" }) status!: ItemStatus;
  @ApiProperty({ type: SampleProductRef }) product!: SampleProductRef;
  @ApiProperty({ nullable: true, type: String }) level!: string | null;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
  @ApiProperty({ nullable: true, type: String }) lot!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty() quantityUnit!: string;
  @ApiProperty({ nullable: true, type: String }) packaging!: string | null;
  @ApiProperty({ type: SamplingView }) sampling!: SamplingView;
  @ApiProperty({ nullable: true, type: String }) storage!: string | null;
  @ApiProperty({ nullable: true, type: String }) retainUntil!: string | null;
  @ApiProperty({ enum: SAMPLE_DECISION_RULES }) decisionRule!: SampleDecisionRule;
  @ApiProperty({ type: InspectionView, nullable: true }) inspection!: InspectionView | null;
  @ApiProperty({ type: SampleResultsAccessView }) results!: SampleResultsAccessView;
  @ApiProperty({ nullable: true, type: String }) conditionOnReceipt!: string | null;
  @ApiProperty({ nullable: true, type: String }) receivedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty() createdAt!: string;
}

export class SampleSubmissionView {
  @ApiProperty({ type: RequestSummaryView }) request!: RequestSummaryView;
  @ApiProperty({ type: [SampleView], description: 'One per sample, in the order given' }) samples!: SampleView[];
}

export class PortionInputDto {
  @ApiPropertyOptional({ example: 1 })
  @ValidateIf((o: PortionInputDto) => o.quantity !== undefined || o.quantityUnit !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 }, { message: 'quantity must be a number' })
  @IsPositive({ message: 'quantity must be above 0' })
  quantity?: number;

  @ApiPropertyOptional({ example: 'L', description: 'With quantity' })
  @ValidateIf((o: PortionInputDto) => o.quantity !== undefined || o.quantityUnit !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'quantityUnit goes with quantity' })
  @MaxLength(30)
  quantityUnit?: string;

  @ApiPropertyOptional({ example: 'lưu mẫu' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  purpose?: string;
}

export class CustodyStepDto {
  @ApiProperty({ enum: CUSTODY_EVENT_KINDS })
  @IsIn(CUSTODY_EVENT_KINDS, { message: `kind must be one of ${CUSTODY_EVENT_KINDS.join(', ')}` })
  kind!: CustodyEventKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'A portion of this sample; absent: the whole sample' })
  @IsOptional()
  @IsUUID('all', { message: 'portionId must be a portion id (UUID)' })
  portionId?: string;

  @ApiPropertyOptional({
    description: 'When it happened (default: now); not in the future nor before the previous step',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date and time' })
  occurredAt?: string;

  @ApiPropertyOptional({
    type: [PortionInputDto],
    description: `split only: the portions made, 2 to ${MAX_PORTIONS_PER_SPLIT}; coded sample code + "-A", "-B", …`,
  })
  @ValidateIf((o: CustodyStepDto) => o.kind === 'split' || o.portions !== undefined)
  @IsArray({ message: 'portions is required to split (2 or more)' })
  @ArrayMinSize(2, { message: 'a split makes at least 2 portions' })
  @ArrayMaxSize(MAX_PORTIONS_PER_SPLIT)
  @ValidateNested({ each: true })
  @Type(() => PortionInputDto)
  portions?: PortionInputDto[];

  @ApiPropertyOptional({ example: 'Quatest 3', description: 'subcontracted: the laboratory (required)' })
  @ValidateIf((o: CustodyStepDto) => o.kind === 'subcontracted' || o.subcontractor !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'subcontractor is required to subcontract' })
  @MaxLength(300)
  subcontractor?: string;

  @ApiPropertyOptional({ example: 'Tủ lưu mẫu số 2' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  location?: string;

  @ApiPropertyOptional({ example: 'Trần Thị Bình', description: 'Who handled it, when not the person recording' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  handledBy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class CustodyActorView {
  @ApiProperty({ example: 'staff' }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty() name!: string;
}

export class CustodyEventView {
  @ApiProperty({ description: 'received: the request item’s receipt; otherwise a recorded step' }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: the whole sample' }) portionId!: string | null;
  @ApiProperty({ nullable: true, type: String }) portionCode!: string | null;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
  @ApiProperty({ type: CustodyActorView, description: 'Who recorded it' }) actor!: CustodyActorView;
  @ApiProperty({ nullable: true, type: String }) handledBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) subcontractor!: string | null;
  @ApiProperty({ nullable: true, type: String }) location!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
}

export class PortionView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'XD-2611-001-A' }) code!: string;
  @ApiProperty({ example: 'A' }) suffix!: string;
  @ApiProperty({ nullable: true, type: Number }) quantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) quantityUnit!: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose!: string | null;
  @ApiProperty({ enum: CUSTODY_STATES }) state!: CustodyState;
  @ApiProperty({ enum: CUSTODY_EVENT_KINDS, isArray: true }) allowedSteps!: CustodyEventKind[];
  @ApiProperty({ type: [CustodyEventView], description: 'Its steps, oldest first (from the split)' })
  events!: CustodyEventView[];
}

export class CustodyChainView {
  @ApiProperty() itemId!: string;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({ enum: CUSTODY_STATES }) state!: CustodyState;
  @ApiProperty({ enum: CUSTODY_EVENT_KINDS, isArray: true }) allowedSteps!: CustodyEventKind[];
  @ApiProperty({ type: [CustodyEventView], description: 'Every step, oldest first, from the receipt' })
  events!: CustodyEventView[];
  @ApiProperty({ type: [PortionView] }) portions!: PortionView[];
}
