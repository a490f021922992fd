import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { IsDecimalString, Optional, trim } from '../../common/validation.js';
import {
  EXTERNAL_REFERENCE_KINDS,
  STANDARD_LEVELS,
  STANDARD_STATUSES,
  type ExternalReferenceKind,
  type StandardLevel,
  type StandardStatus,
} from '../standard.entity.js';
import { UNUSABLE_REASONS, type UnusableReason } from '../standard-status.js';

const NON_NEGATIVE = /^\d{1,15}(\.\d{1,12})?$/;

export class CreateStandardDto {
  @ApiProperty({ example: 'KH-M-01' })
  @Transform(trim)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,49}$/, {
    message: 'code must be 1 to 50 letters, digits, "_", ".", "-" or "/"',
  })
  code!: string;

  @ApiProperty({ example: 'Bộ quả cân chuẩn F1 1 mg – 10 kg' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({
    enum: STANDARD_LEVELS,
    description: 'reference (chuẩn chính) / working (chuẩn công tác) / check (chuẩn kiểm tra)',
  })
  @IsIn(STANDARD_LEVELS)
  level!: StandardLevel;

  @ApiProperty({ example: 'mass' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  quantity!: string;

  @ApiProperty({ example: 'kg' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '0.000001' })
  @IsOptional()
  @IsDecimalString()
  rangeMin?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '10' })
  @IsOptional()
  @IsDecimalString()
  rangeMax?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'F1' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(20)
  accuracyClass?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '0.00016',
    description: 'Expanded uncertainty, in the unit (decimal string)',
  })
  @IsOptional()
  @Matches(NON_NEGATIVE, { message: 'uncertainty must be a non-negative decimal number written as a string' })
  uncertainty?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2' })
  @IsOptional()
  @IsDecimalString({ positive: true })
  coverageFactor?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  manufacturer?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  model?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  serialNumber?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Phòng Đo lường Khối lượng' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  custodianSection?: string | null;

  @ApiPropertyOptional({ enum: STANDARD_STATUSES, default: 'in_service' })
  @Optional()
  @IsIn(STANDARD_STATUSES)
  status?: StandardStatus;
}

export class UpdateStandardDto extends PartialType(CreateStandardDto, { skipNullProperties: false }) {}

export class StandardQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the code or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: STANDARD_LEVELS })
  @IsOptional()
  @IsIn(STANDARD_LEVELS)
  level?: StandardLevel;

  @ApiPropertyOptional({ enum: STANDARD_STATUSES })
  @IsOptional()
  @IsIn(STANDARD_STATUSES)
  status?: StandardStatus;
}

export class StandardsDueQuery extends PageQuery {
  @ApiPropertyOptional({ default: 60, minimum: 0, maximum: 3660 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  within: number = 60;

  @ApiPropertyOptional({ description: 'Count the window from this date instead of today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class StandardAtQuery {
  @ApiPropertyOptional({ example: '2025-03-01', description: 'Default: today in Viet Nam' })
  @IsOptional()
  @IsCalendarDate()
  at?: string;
}

export class CalibrationValueDto {
  @ApiProperty({ example: '10', description: 'Nominal value (decimal string)' })
  @IsDecimalString()
  nominal!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '10.000012',
    description: 'Stated value or correction at the point (decimal string)',
  })
  @IsOptional()
  @IsDecimalString()
  value?: string | null;

  @ApiProperty({ example: 'kg' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  unit!: string;

  @ApiProperty({ example: '0.000016', description: 'Expanded uncertainty U (decimal string, ≥ 0)' })
  @Matches(NON_NEGATIVE, { message: 'expandedUncertainty must be a non-negative decimal number written as a string' })
  expandedUncertainty!: string;

  @ApiProperty({ example: '2', description: 'Coverage factor k (decimal string, > 0)' })
  @IsDecimalString({ positive: true })
  coverageFactor!: string;
}

export class ExternalReferenceDto {
  @ApiProperty({ enum: EXTERNAL_REFERENCE_KINDS })
  @IsIn(EXTERNAL_REFERENCE_KINDS)
  kind!: ExternalReferenceKind;

  @ApiProperty({ example: 'Chuẩn quốc gia khối lượng — Viện Đo lường Việt Nam (VMI)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;
}

export class CreateCalibrationDto {
  @ApiProperty({ example: 'Viện Đo lường Việt Nam (VMI)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  issuingLab!: string;

  @ApiProperty({ example: 'V01.24.1234' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  certificateNumber!: string;

  @ApiProperty({ example: '2024-05-10' })
  @IsCalendarDate()
  calibrationDate!: string;

  @ApiProperty({ example: '2025-05-10' })
  @IsCalendarDate()
  dueDate!: string;

  @ApiPropertyOptional({
    description: 'The standard of the centre this calibration was made against (or give externalReference)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'traceableToStandardId must be a standard id (UUID)' })
  traceableToStandardId?: string;

  @ApiPropertyOptional({
    type: ExternalReferenceDto,
    description: 'The national standard or accredited lab (or give traceableToStandardId)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExternalReferenceDto)
  externalReference?: ExternalReferenceDto;

  @ApiProperty({ type: [CalibrationValueDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CalibrationValueDto)
  values!: CalibrationValueDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class CreateCheckDto {
  @ApiProperty({ example: '2024-11-02' })
  @IsCalendarDate()
  checkDate!: string;

  @ApiProperty({ example: 'Trần Thị Bình' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  performedBy!: string;

  @ApiProperty()
  @IsBoolean()
  passed!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class StandardRef {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STANDARD_LEVELS }) level!: StandardLevel;
}

/** The calibration certificate's own PDF, as the calibrating laboratory issued it. */
export class StandardCertificateFileView {
  @ApiProperty() sha256!: string;
  @ApiProperty() byteSize!: number;
  @ApiProperty({ nullable: true, type: String, description: 'As uploaded' }) fileName!: string | null;
  @ApiProperty({ example: '/standards/…/calibrations/…/certificate' }) downloadUrl!: string;
}

export class CalibrationSummary {
  @ApiProperty() id!: string;
  @ApiProperty() certificateNumber!: string;
  @ApiProperty() issuingLab!: string;
  @ApiProperty() calibrationDate!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ nullable: true, type: StandardCertificateFileView, description: 'null until the PDF is uploaded' })
  certificateFile!: StandardCertificateFileView | null;
}

export class StandardView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STANDARD_LEVELS }) level!: StandardLevel;
  @ApiProperty() quantity!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ nullable: true, type: String }) rangeMin!: string | null;
  @ApiProperty({ nullable: true, type: String }) rangeMax!: string | null;
  @ApiProperty({ nullable: true, type: String }) accuracyClass!: string | null;
  @ApiProperty({ nullable: true, type: String }) uncertainty!: string | null;
  @ApiProperty({ nullable: true, type: String }) coverageFactor!: string | null;
  @ApiProperty({ nullable: true, type: String }) manufacturer!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: String }) serialNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) custodianSection!: string | null;
  @ApiProperty({ enum: STANDARD_STATUSES }) status!: StandardStatus;
  @ApiProperty({ nullable: true, type: CalibrationSummary, description: 'The most recent calibration' })
  latestCalibration!: CalibrationSummary | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TraceableToView {
  @ApiProperty({ enum: ['standard', ...EXTERNAL_REFERENCE_KINDS] }) kind!: 'standard' | ExternalReferenceKind;
  @ApiPropertyOptional({ type: StandardRef }) standard?: StandardRef;
  @ApiPropertyOptional() name?: string;
}

export class CalibrationView extends CalibrationSummary {
  @ApiProperty() standardId!: string;
  @ApiProperty({ type: TraceableToView }) traceableTo!: TraceableToView;
  @ApiProperty({ type: [CalibrationValueDto] }) values!: CalibrationValueDto[];
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CheckView {
  @ApiProperty() id!: string;
  @ApiProperty() standardId!: string;
  @ApiProperty() checkDate!: string;
  @ApiProperty() performedBy!: string;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class StandardStatusView {
  @ApiProperty() standardId!: string;
  @ApiProperty() at!: string;
  @ApiProperty() usable!: boolean;
  @ApiProperty({ enum: UNUSABLE_REASONS, isArray: true }) reasons!: UnusableReason[];
  @ApiProperty({ enum: STANDARD_STATUSES, description: "Today's status: status changes have no history" })
  status!: StandardStatus;
  @ApiProperty({ nullable: true, type: CalibrationSummary, description: 'The calibration in force on the date' })
  calibration!: CalibrationSummary | null;
  @ApiProperty({ nullable: true, type: CheckView }) lastCheck!: CheckView | null;
}

export class TraceabilityLinkView {
  @ApiProperty({ type: StandardRef }) standard!: StandardRef;
  @ApiProperty({
    description:
      "The date this link is relied on: the requested date for the first link, the child's calibration date for the next",
  })
  evaluatedAt!: string;
  @ApiProperty({ description: 'A calibration existed on evaluatedAt and was not past its due date' }) valid!: boolean;
  @ApiProperty({ nullable: true, type: CalibrationView, description: 'null: no calibration on or before evaluatedAt' })
  certificate!: CalibrationView | null;
}

export class TraceabilityView {
  @ApiProperty() standardId!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: [TraceabilityLinkView], description: 'From this standard upwards' })
  links!: TraceabilityLinkView[];
  @ApiProperty({
    nullable: true,
    type: TraceableToView,
    description: 'Where the chain leaves the centre; null if it breaks first',
  })
  end!: TraceableToView | null;
  @ApiProperty({ description: 'The chain ends at the national standard' }) reachesNationalStandard!: boolean;
  @ApiProperty({ description: 'Unbroken (ends at an external reference) and every link valid' }) valid!: boolean;
}

export class StandardDueItem {
  @ApiProperty({ type: StandardRef }) standard!: StandardRef;
  @ApiProperty({ nullable: true, type: String, description: 'null: never calibrated' }) dueDate!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Negative when overdue' }) daysUntilDue!: number | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true, type: String }) certificateNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) custodianSection!: string | null;
}

export class StandardsDuePage {
  @ApiProperty({ type: [StandardDueItem] }) items!: StandardDueItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty() asOf!: string;
  @ApiProperty() dueOnOrBefore!: string;
}
