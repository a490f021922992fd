import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
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
import { IsDecimalString, Optional, trim } from '../../common/validation.js';
import { INSTRUMENT_SERVICES, type ServiceKind } from '../../instrument-types/instrument-type.entity.js';
import {
  INSTRUMENT_STATUSES,
  SERVICE_RESULTS,
  type InstrumentStatus,
  type ServiceResult,
} from '../instrument.entity.js';

export class PlaceOfUseDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Cửa hàng xăng dầu số 5',
    description: 'For fixed installations',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  siteName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '215 Lê Hồng Phong' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  streetAddress?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Khánh Hòa' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  province?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Cam Ranh',
    description: "quận / huyện as before 1 July 2025 (history; when absent, the owner's district is copied)",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  district?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Cam Lộc' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  ward?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Province of the place of use (admin unit id); implied by communeId when only that is given',
  })
  @IsOptional()
  @IsUUID('all')
  provinceId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      "Commune / ward / special zone of the place of use (admin unit id). When the place names neither, the owner's are used for the due list",
  })
  @IsOptional()
  @IsUUID('all')
  communeId?: string | null;
}

export class CreateInstrumentDto {
  @ApiPropertyOptional({
    description:
      'Required for staff; a business always registers for its own organization (this field is then ignored)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be an organization id (UUID)' })
  ownerId?: string;

  @ApiProperty()
  @IsUUID('all', { message: 'instrumentTypeId must be an instrument type id (UUID)' })
  instrumentTypeId!: string;

  @ApiProperty({ example: 'Tatsuno' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  manufacturer!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'SUNNY-2' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  model?: string | null;

  @ApiProperty({ example: 'TS-2019-00417' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  serialNumber!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '0.5' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(20)
  accuracyClass?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '0', description: 'decimal string' })
  @IsOptional()
  @IsDecimalString()
  rangeMin?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '60', description: 'decimal string' })
  @IsOptional()
  @IsDecimalString()
  rangeMax?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'L/min',
    description: "Default: the type's unit when a range is given",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(30)
  rangeUnit?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '0.01', description: 'decimal string, greater than 0' })
  @IsOptional()
  @IsDecimalString({ positive: true })
  resolution?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'g',
    description: "Unit of the resolution and of e. Default: the range unit, else the type's unit",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(30)
  resolutionUnit?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '20',
    description:
      'Verification scale interval e (giá trị độ chia kiểm) of a scale, in resolutionUnit; decimal string > 0',
  })
  @IsOptional()
  @IsDecimalString({ positive: true })
  scaleInterval?: string | null;

  @ApiPropertyOptional({ type: PlaceOfUseDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlaceOfUseDto)
  placeOfUse?: PlaceOfUseDto | null;

  @ApiPropertyOptional({ enum: INSTRUMENT_STATUSES, default: 'in_service' })
  @Optional()
  @IsIn(INSTRUMENT_STATUSES)
  status?: InstrumentStatus;
}

/** Owner and type are the instrument's identity: not changed here. */
export class UpdateInstrumentDto extends PartialType(
  OmitType(CreateInstrumentDto, ['ownerId', 'instrumentTypeId'] as const),
  { skipNullProperties: false },
) {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'TĐC-CX-001234',
    description: "The centre's label code: unique across the registry; null removes it",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  labelCode?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 120,
    example: 12,
    description:
      'The calibration interval the customer chose, in months: the next calibration date is the last calibration + this, and the recall scan recalls for it; null: none',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  calibrationIntervalMonths?: number | null;
}

/** Which due date a due list reads. */
export const DUE_SERVICES = ['verification', 'calibration'] as const;
export type DueService = (typeof DUE_SERVICES)[number];

export class InstrumentQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Owner organization id' })
  @IsOptional()
  @IsUUID('all')
  owner?: string;

  @ApiPropertyOptional({ description: 'Instrument type id' })
  @IsOptional()
  @IsUUID('all')
  type?: string;

  @ApiPropertyOptional({ enum: INSTRUMENT_STATUSES })
  @IsOptional()
  @IsIn(INSTRUMENT_STATUSES)
  status?: InstrumentStatus;

  @ApiPropertyOptional({ description: 'Serial number, exactly' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  serial?: string;
}

export class DueQuery extends PageQuery {
  @ApiPropertyOptional({
    default: 30,
    minimum: 0,
    maximum: 3660,
    description: 'Days ahead; overdue instruments are always included',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  within: number = 30;

  @ApiPropertyOptional({ description: 'Instrument type id' })
  @IsOptional()
  @IsUUID('all')
  type?: string;

  @ApiPropertyOptional({ description: 'Owner organization id (a business always sees only its own)' })
  @IsOptional()
  @IsUUID('all')
  owner?: string;

  @ApiPropertyOptional({
    description: "District as registered before 1 July 2025 (history; the place of use's, else the owner's)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ description: "Province (admin unit id) of the place of use, else the owner's" })
  @IsOptional()
  @IsUUID('all')
  province?: string;

  @ApiPropertyOptional({ description: "Commune (admin unit id) of the place of use, else the owner's" })
  @IsOptional()
  @IsUUID('all')
  commune?: string;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'Count the window from this date instead of today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: DUE_SERVICES,
    default: 'verification',
    description:
      "Which due date: the legal verification's (next due date) or the calibration's (last calibration + the customer's interval)",
  })
  @IsOptional()
  @IsIn(DUE_SERVICES)
  service: DueService = 'verification';
}

export class RecordOutcomeDto {
  @ApiProperty({ enum: INSTRUMENT_SERVICES })
  @IsIn(INSTRUMENT_SERVICES)
  service!: ServiceKind;

  @ApiProperty({ example: '2024-11-20', description: 'Date the service was performed' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'Required for a verification; null for a calibration without a conformity statement',
  })
  @ValidateIf(
    (o: RecordOutcomeDto) =>
      (o.passed !== null && o.passed !== undefined) || String(o.service).startsWith('verification'),
  )
  @IsBoolean({ message: 'passed must be true or false (a verification always has a result)' })
  passed?: boolean | null;

  @ApiPropertyOptional({ example: 'KĐ-2024/1234', description: 'As printed on the certificate or stamp' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  certificateNumber?: string;
}

export class NamedRef {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class TypeRef {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() unit!: string;
}

export class LastServiceView {
  @ApiProperty({ enum: INSTRUMENT_SERVICES }) service!: ServiceKind;
  @ApiProperty() date!: string;
  @ApiProperty({ enum: SERVICE_RESULTS, nullable: true }) result!: ServiceResult | null;
  @ApiProperty({ nullable: true, type: String }) certificateNumber!: string | null;
}

export class InstrumentView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: NamedRef }) owner!: NamedRef;
  @ApiProperty({ type: TypeRef }) instrumentType!: TypeRef;
  @ApiProperty() manufacturer!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String, description: "The centre's label code" }) labelCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) accuracyClass!: string | null;
  @ApiProperty({ nullable: true, type: String }) rangeMin!: string | null;
  @ApiProperty({ nullable: true, type: String }) rangeMax!: string | null;
  @ApiProperty({ nullable: true, type: String }) rangeUnit!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolutionUnit!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'e, in resolutionUnit' }) scaleInterval!: string | null;
  @ApiProperty({ type: PlaceOfUseDto }) placeOfUse!: PlaceOfUseDto;
  @ApiProperty({ nullable: true, type: String, description: 'District before 1 July 2025 (history)' })
  district!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Province (admin unit id) a recall visit goes to: the place of use's, else the owner's",
  })
  provinceId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Commune (admin unit id) a recall visit goes to: the place of use's, else the owner's",
  })
  communeId!: string | null;
  @ApiProperty({ enum: INSTRUMENT_STATUSES }) status!: InstrumentStatus;
  @ApiProperty({ nullable: true, type: LastServiceView }) lastService!: LastServiceView | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    required: ['date', 'passed'],
    properties: { date: { type: 'string', format: 'date' }, passed: { type: 'boolean' } },
    description: 'The latest verification',
  })
  lastVerification!: { date: string; passed: boolean } | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "The latest verification's certificate was revoked on this date: the instrument is unverified from then, and this is its next due date",
  })
  verificationRevokedOn!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'null: nothing to recall (never verified, last verification failed, or no periodic cycle); the revocation date when its certificate was revoked',
  })
  nextDueDate!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The calibration interval the customer chose, months' })
  calibrationIntervalMonths!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last calibration (certificate not revoked)' })
  lastCalibrationDate!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Last calibration + calibrationIntervalMonths; null: no interval or never calibrated',
  })
  nextCalibrationDate!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ServiceRecordView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: INSTRUMENT_SERVICES }) service!: ServiceKind;
  @ApiProperty() date!: string;
  @ApiProperty({ enum: SERVICE_RESULTS, nullable: true }) result!: ServiceResult | null;
  @ApiProperty({ nullable: true, type: String }) certificateNumber!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The certificate reporting this service was revoked then' })
  revokedOn!: string | null;
  @ApiProperty({ enum: ['import', 'approval'] }) origin!: 'import' | 'approval';
  @ApiProperty({ nullable: true, type: String }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

/** A unit of the due list's address (id and name). */
export class DueUnitRef {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class DueItemView {
  @ApiProperty() id!: string;
  @ApiProperty() nextDueDate!: string;
  @ApiProperty({ description: 'Negative when overdue' }) daysUntilDue!: number;
  @ApiProperty({ description: 'Past its due date, or its verification certificate was revoked (unverified now)' })
  overdue!: boolean;
  @ApiProperty({ type: NamedRef }) owner!: NamedRef;
  @ApiProperty({ type: TypeRef }) instrumentType!: TypeRef;
  @ApiProperty() manufacturer!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) siteName!: string | null;
  @ApiProperty({ nullable: true, type: String }) streetAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'History (before 1 July 2025)' }) district!: string | null;
  @ApiProperty({ nullable: true, type: DueUnitRef }) province!: DueUnitRef | null;
  @ApiProperty({ nullable: true, type: DueUnitRef }) commune!: DueUnitRef | null;
  @ApiProperty({ nullable: true, type: String }) lastVerificationDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastCertificateNumber!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set when the last verification certificate was revoked' })
  verificationRevokedOn!: string | null;
  @ApiProperty({ enum: DUE_SERVICES, description: 'What falls due: nextDueDate is this service’s' })
  service!: DueService;
  @ApiProperty({ nullable: true, type: String, description: 'The last calibration (certificate not revoked)' })
  lastCalibrationDate!: string | null;
}

export class DuePage {
  @ApiProperty({ type: [DueItemView] }) items!: DueItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: 'The window: due on or before this date (counted from asOf or today)' })
  dueOnOrBefore!: string;
  @ApiProperty() asOf!: string;
}

export class TransferInstrumentDto {
  @ApiProperty({ description: 'The organization the instrument now belongs to' })
  @IsUUID('all', { message: 'newOwnerId must be an organization id (UUID)' })
  newOwnerId!: string;

  @ApiProperty({ example: 'Bán cho Công ty TNHH Xăng dầu Cam Ranh theo hợp đồng số 12/2026' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class OwnershipPeriodView {
  @ApiProperty({ type: NamedRef }) owner!: NamedRef;
  @ApiProperty({ description: 'Registration, or the transfer to this owner' }) since!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: the current owner' }) until!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the period ended (the transfer reason)' })
  reasonEnded!: string | null;
}
