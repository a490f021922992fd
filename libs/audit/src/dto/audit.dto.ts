import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '#libs/core';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'calibration_result' })
  @IsOptional()
  @Matches(/^[a-z_]{1,64}$/, { message: 'entity must be a lower-case entity name' })
  entity?: string;

  @ApiPropertyOptional({ description: 'Id of the entity' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;
}

export class AuditActorView {
  @ApiProperty() kind!: string;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class AuditEventView {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: AuditActorView }) actor!: AuditActorView;
  @ApiProperty() entity!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true }) before!: unknown;
  @ApiProperty({ nullable: true }) after!: unknown;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}
