import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { trim } from '../../common/validation.js';
import {
  ADMIN_UNIT_KINDS,
  ADMIN_UNIT_LEVELS,
  CONFIDENCES,
  type AdminUnitKind,
  type AdminUnitLevel,
  type Confidence,
} from '../admin-unit.entity.js';

export class CreateAdminUnitDto {
  @ApiProperty({ example: '22333', description: 'The official code (GSO): 2 digits for a province, 5 for a commune' })
  @Transform(trim)
  @Matches(/^\d{2}(\d{3})?$/, { message: 'code must be 2 digits (province) or 5 digits (commune)' })
  code!: string;

  @ApiProperty({ example: 'Nha Trang' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    enum: ADMIN_UNIT_KINDS,
    description: 'province / municipality; commune (xã) / ward (phường) / special_zone (đặc khu)',
  })
  @IsIn(ADMIN_UNIT_KINDS)
  kind!: AdminUnitKind;

  @ApiPropertyOptional({ description: 'The province of a commune (required for a commune, absent for a province)' })
  @IsOptional()
  @IsUUID('all')
  parentId?: string;

  @ApiPropertyOptional({ example: '2025-07-01' })
  @IsOptional()
  @IsCalendarDate()
  effectiveFrom?: string;

  @ApiProperty({ example: 'Nghị quyết 1667/NQ-UBTVQH15 (16/6/2025)', description: 'Where the unit comes from' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  source!: string;

  @ApiPropertyOptional({
    enum: CONFIDENCES,
    default: 'VERIFIED',
    description: 'VERIFIED when read in the source by the person entering it (confirmed by them)',
  })
  @IsOptional()
  @IsIn(CONFIDENCES)
  confidence?: Confidence;
}

export class RetireAdminUnitDto {
  @ApiProperty({ example: '2025-06-30', description: 'The last day the unit existed' })
  @IsCalendarDate()
  effectiveTo!: string;

  @ApiPropertyOptional({
    description:
      'The current unit of the same level it was merged into: addresses referring to the retired unit move to it (communes of a retired province too)',
  })
  @IsOptional()
  @IsUUID('all')
  successorId?: string;
}

export class AdminUnitQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ADMIN_UNIT_LEVELS })
  @IsOptional()
  @IsIn(ADMIN_UNIT_LEVELS)
  level?: AdminUnitLevel;

  @ApiPropertyOptional({ description: 'Communes of this province' })
  @IsOptional()
  @IsUUID('all')
  parent?: string;

  @ApiPropertyOptional({ description: 'Part of the name (case and diacritics ignored) or a code prefix' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Only current units (true, the default), or retired ones too (false)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  current: boolean = true;
}

export class AdminUnitRef {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class AdminUnitView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ADMIN_UNIT_LEVELS }) level!: AdminUnitLevel;
  @ApiProperty({ enum: ADMIN_UNIT_KINDS }) kind!: AdminUnitKind;
  @ApiProperty({ nullable: true, type: AdminUnitRef, description: 'The province of a commune' })
  parent!: AdminUnitRef | null;
  @ApiProperty({ nullable: true, type: String, description: 'null: existed before the list was kept' })
  effectiveFrom!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last day it existed; null while current' })
  effectiveTo!: string | null;
  @ApiProperty({ nullable: true, type: AdminUnitRef, description: 'The unit it was merged into' })
  successor!: AdminUnitRef | null;
  @ApiProperty({ enum: CONFIDENCES, description: 'UNCERTAIN/SECONDARY seed rows wait for an admin to confirm them' })
  confidence!: Confidence;
  @ApiProperty() source!: string;
  @ApiProperty({ nullable: true, type: String }) confirmedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) confirmedBy!: string | null;
}
