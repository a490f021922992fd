import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQuery, STAFF_ROLES, STAFF_USERNAME, type StaffRole } from '#libs/core';
import { IsAcceptablePassword } from '../../passwords/password-policy.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../passwords/passwords.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

const USERNAME_MESSAGE = 'username must be 3 to 64 letters, digits, ".", "-" or "_", starting with a letter or digit';
const PASSWORD_MESSAGE = `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
const PASSWORD_RULES = `At least ${PASSWORD_MIN_LENGTH} characters; not a common password (even with digits or symbols added), not mostly one character`;

export class CreateUserDto {
  @ApiProperty({ example: 'an.nguyen', description: 'Unique, compared case-insensitively' })
  @Transform(trim)
  @Matches(STAFF_USERNAME, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({ example: 'Nguyễn Văn An' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({ example: 'an.nguyen@tdc.example.vn' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: STAFF_ROLES, isArray: true, example: ['technician'] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(STAFF_ROLES.length)
  @IsIn(STAFF_ROLES, { each: true, message: `each role must be one of ${STAFF_ROLES.join(', ')}` })
  roles!: StaffRole[];

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: PASSWORD_RULES,
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password ${PASSWORD_MESSAGE}` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  @IsAcceptablePassword()
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null clears it' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ enum: STAFF_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(STAFF_ROLES.length)
  @IsIn(STAFF_ROLES, { each: true, message: `each role must be one of ${STAFF_ROLES.join(', ')}` })
  roles?: StaffRole[];

  @ApiPropertyOptional({ description: 'false deactivates the account: it can no longer log in, and its sessions end' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class SetPasswordDto {
  @ApiPropertyOptional({ format: 'password', description: 'Required when changing your own password' })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword?: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: PASSWORD_RULES,
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword ${PASSWORD_MESSAGE}` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  @IsAcceptablePassword()
  newPassword!: string;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the username or full name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) roles!: StaffRole[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
