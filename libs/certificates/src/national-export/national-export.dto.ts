import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsCalendarDate } from '#libs/core';

export class NationalExportQuery {
  @ApiPropertyOptional({ example: '2026-07-01', description: 'Certificates issued on or after this date' })
  @IsOptional()
  @IsCalendarDate()
  issuedFrom?: string;

  @ApiPropertyOptional({ example: '2026-09-30', description: 'Certificates issued on or before this date' })
  @IsOptional()
  @IsCalendarDate()
  issuedTo?: string;

  @ApiPropertyOptional({ default: 1000, minimum: 1, maximum: 10000, description: 'Lines per answer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit: number = 1000;

  @ApiPropertyOptional({
    description:
      'The X-Next-Cursor of the previous answer: only certificates issued or revoked after it (a mirror keeps the last one and asks again later)',
  })
  @IsOptional()
  @IsString()
  cursor?: string;
}
