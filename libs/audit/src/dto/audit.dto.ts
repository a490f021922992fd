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

  @ApiPropertyOptional({ description: "Id of the actor: a staff member's user id, a business's API key id" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;
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
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after!: unknown;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class AuditChainHeadView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the last entry' }) hash!: string;
}

export class AuditChainBreakView {
  @ApiProperty({ description: 'Id of the first entry where the chain does not hold' }) id!: string;
  @ApiProperty({ description: '1-based position in the chain (id order)' }) position!: number;
  @ApiProperty({
    enum: ['hash', 'prevHash'],
    description:
      'hash: the content was changed; prevHash: the link to the entry before is broken (removed or rehashed)',
  })
  field!: 'hash' | 'prevHash';
  @ApiProperty() expected!: string;
  @ApiProperty() found!: string;
}

export class AuditChainReportView {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Entries checked: all when valid, up to the break otherwise' }) entries!: number;
  @ApiProperty({ type: AuditChainHeadView, nullable: true }) head!: AuditChainHeadView | null;
  @ApiProperty({ type: AuditChainBreakView, nullable: true }) firstBroken!: AuditChainBreakView | null;
}
