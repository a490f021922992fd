import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import {
  AUTHORISED_ACTIVITIES,
  AUTHORISED_SERVICES,
  type AuthorisedActivity,
  type AuthorisedService,
} from '../staff-authorisation.entity.js';

export class GrantAuthorisationDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'null or absent: every instrument type',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  instrumentTypeId?: string | null;

  @ApiProperty({ enum: AUTHORISED_SERVICES })
  @IsIn(AUTHORISED_SERVICES, { message: `service must be one of ${AUTHORISED_SERVICES.join(', ')}` })
  service!: AuthorisedService;

  @ApiProperty({
    enum: AUTHORISED_ACTIVITIES,
    description: 'perform needs the technician role, approve the reviewer role',
  })
  @IsIn(AUTHORISED_ACTIVITIES, { message: `activity must be one of ${AUTHORISED_ACTIVITIES.join(', ')}` })
  activity!: AuthorisedActivity;

  @ApiProperty({ example: '2025-01-01' })
  @IsCalendarDate()
  validFrom!: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2027-12-31',
    description: 'Inclusive; null or absent: open-ended',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsCalendarDate()
  validUntil?: string | null;

  @ApiPropertyOptional({
    example: 'QĐ 12/QĐ-TĐC ngày 02/01/2025',
    description: 'The decision or training record it rests on',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reference?: string;
}

export class AuthorisationQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2025-06-30', description: 'Only those in force on this date (not revoked)' })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class AuthorisationView {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: every instrument type' }) instrumentTypeId!:
    string | null;
  @ApiProperty({ enum: AUTHORISED_SERVICES }) service!: AuthorisedService;
  @ApiProperty({ enum: AUTHORISED_ACTIVITIES }) activity!: AuthorisedActivity;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ nullable: true, type: String }) validUntil!: string | null;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty() grantedBy!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
}
