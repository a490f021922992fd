import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '#libs/core';
import { ForecastQuery } from '../forecast/forecast.dto.js';

/**
 * The period of the periodic report: one of period, year, or from/to that are exactly a quarter or a
 * year; and the forecast's capacity assumption (ForecastQuery).
 */
export class ReportQuery extends ForecastQuery {
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
}
