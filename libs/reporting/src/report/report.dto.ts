import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '#libs/core';

/** The period of the periodic report: one of period, year, or from/to that are exactly a quarter or a year. */
export class ReportQuery {
  @ApiPropertyOptional({ example: '2026-Q3', description: 'A quarter (2026-Q3) or a year (2026)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;

  @ApiPropertyOptional({ example: 2026, description: 'A calendar year (the yearly report)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ example: '2026-07-01', description: 'With to: the first day of a quarter or a year' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-09-30', description: 'With from: the last day of that quarter or year' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({
    default: 8,
    minimum: 1,
    maximum: 200,
    description: "The forecast's capacity assumption: items one authorised technician verifies per working day",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  itemsPerTechnicianDay: number = 8;
}
