import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiSpreadsheetResponse } from '#libs/core';
import { StatisticsExport, StatisticsExportQuery } from './statistics/statistics-export.js';
import { ForecastQuery, ForecastView } from './forecast/forecast.dto.js';
import { ForecastService } from './forecast/forecast.service.js';
import { StatisticsQuery, StatisticsView } from './statistics/statistics.dto.js';
import { StatisticsService } from './statistics/statistics.service.js';

@ApiTags('reporting')
@Controller('statistics')
export class StatisticsController {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly exports: StatisticsExport,
  ) {}

  @Get('export')
  @Allow('staff')
  @ApiOperation({
    summary:
      'The statistics of a period as XLSX or CSV: the totals, then each dimension (the figures of GET /statistics)',
  })
  @ApiSpreadsheetResponse('The statistics')
  async export(@Query() query: StatisticsExportQuery, @Res() res: Response): Promise<void> {
    await this.exports.to(res, query);
  }

  @Get()
  @Allow('staff')
  @ApiOperation({
    summary:
      'Statistics for a period (for the Sở KH&CN): requests, items, certificates, pass rate, turnaround, overdue instruments, standards due',
    description:
      "Certificates come from a rollup refreshed when older than 5 minutes (asOf says when; refresh=true refreshes first). Overdue instruments and standards due are today's.",
  })
  @ApiOkResponse({ type: StatisticsView })
  get(@Query() query: StatisticsQuery): Promise<StatisticsView> {
    return this.statistics.statistics(query);
  }
}

@ApiTags('reporting')
@Controller('forecast')
export class ForecastController {
  constructor(private readonly forecasts: ForecastService) {}

  @Get()
  @Allow('staff')
  @ApiOperation({
    summary: 'Demand forecast for the next 12 months by type and commune, against the authorised technicians’ capacity',
  })
  @ApiOkResponse({ type: ForecastView })
  forecast(@Query() query: ForecastQuery): Promise<ForecastView> {
    return this.forecasts.forecast(query);
  }
}
