import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '#libs/core';
import { Optional } from '../../common/validation.js';
import { SECTORS, type Sector } from '../sector.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** 10 digits (enterprise) or 10 digits + "-" + 3 digits (dependent unit / branch). */
export const TAX_CODE = /^\d{10}(-\d{3})?$/;

export class ContactDto {
  @ApiProperty({ example: 'Nguyễn Văn An' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Transform(trim)
  @Matches(/^\+?[0-9 .-]{8,20}$/, { message: 'phone must be a phone number of 8 to 20 digits' })
  phone?: string;

  @ApiPropertyOptional({ example: 'an.nguyen@example.vn' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'Quản lý kỹ thuật' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  role?: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Công ty TNHH Xăng dầu Bình Minh' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: '0301234567', description: 'mã số thuế: 10 digits, or 10 + "-" + 3 for a branch' })
  @Transform(trim)
  @Matches(TAX_CODE, { message: 'taxCode must be 10 digits, or 10 digits, "-" and 3 digits for a branch' })
  taxCode!: string;

  @ApiProperty({ example: '12 Trần Phú' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  streetAddress!: string;

  @ApiProperty({ example: 'Khánh Hòa' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  province!: string;

  @ApiPropertyOptional({
    example: 'Nha Trang',
    description: 'quận / huyện as registered before 1 July 2025: history only (use provinceId / communeId)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The province (admin unit id, current); implied by communeId when only that is given',
  })
  @IsOptional()
  @IsUUID('all')
  provinceId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The commune / ward / special zone (xã / phường / đặc khu; admin unit id, current)',
  })
  @IsOptional()
  @IsUUID('all')
  communeId?: string | null;

  @ApiPropertyOptional({ example: 'Lộc Thọ' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  ward?: string;

  @ApiPropertyOptional({
    enum: SECTORS,
    nullable: true,
    description: 'lĩnh vực: what the periodic report groups customers by (null: not stated)',
  })
  @IsOptional()
  @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` })
  sector?: Sector | null;

  @ApiPropertyOptional({ type: [ContactDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

/** Absent fields stay as they are; null is validated like any value (so only district, ward, provinceId, communeId and sector may be cleared). */
export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto, { skipNullProperties: false }) {}

export class OrganizationQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the name or the tax code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Only active (true) or deactivated (false) customers' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class OrganizationView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() taxCode!: string;
  @ApiProperty() streetAddress!: string;
  @ApiProperty() province!: string;
  @ApiProperty({ nullable: true, type: String, description: 'History only (before 1 July 2025)' })
  district!: string | null;
  @ApiProperty({ nullable: true, type: String }) ward!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Province (admin unit id)' }) provinceId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Commune (admin unit id)' }) communeId!: string | null;
  @ApiProperty({ enum: SECTORS, nullable: true, description: 'lĩnh vực; null: not stated' })
  sector!: Sector | null;
  @ApiProperty({ type: [ContactDto] }) contacts!: ContactDto[];
  @ApiProperty() active!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
