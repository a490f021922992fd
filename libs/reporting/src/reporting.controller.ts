import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiSpreadsheetResponse } from '#libs/core';
import { StatisticsExport, StatisticsExportQuery } from './statistics/statistics-export.js';
import { ForecastQuery, ForecastView } from './forecast/forecast.dto.js';
import { ForecastService } from './forecast/forecast.service.js';
import { StatisticsQuery, StatisticsView } from './statistics/statistics.dto.js';
import { StatisticsService } from './statistics/statistics.service.js';
import { ReportQuery } from './report/report.dto.js';
import { StatisticsReport } from './report/statistics-report.service.js';

const PERIOD_DESCRIPTION =
  'The period: period=2026-Q3 (or 2026), year=2026, or from/to that are exactly a quarter or a year (400 naming the field otherwise). The figures are those of GET /statistics for the period and GET /forecast.';

@ApiTags('reporting')
@Controller('statistics')
export class StatisticsController {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly exports: StatisticsExport,
    private readonly reports: StatisticsReport,
  ) {}

  @Get('report.pdf')
  @Allow('staff')
  @ApiOperation({
    summary:
      'The periodic report to the Sở KH&CN (quarter or year) as a signed PDF: tables of every figure, charts, the 12-month forecast',
    description: `${PERIOD_DESCRIPTION} Signed with the laboratory's certificate-signing identity, as certificates are.`,
  })
  @ApiOkResponse({
    description: 'The signed report',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="bao-cao-thong-ke-<period>.pdf"',
        schema: { type: 'string' },
      },
    },
  })
  async reportPdf(@Query() query: ReportQuery): Promise<StreamableFile> {
    const file = await this.reports.pdf(query);
    return new StreamableFile(file.bytes, {
      type: 'application/pdf',
      length: file.bytes.length,
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Get('report.xlsx')
  @Allow('staff')
  @ApiOperation({
    summary:
      'The periodic report as XLSX: the same tables on named sheets (Tổng hợp, one per dimension, Dự báo 12 tháng)',
    description: PERIOD_DESCRIPTION,
  })
  @ApiOkResponse({
    description: 'The report workbook (streamed, as an attachment)',
    content: {
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: { type: 'string', format: 'binary' },
      },
    },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="bao-cao-thong-ke-<period>.xlsx"',
        schema: { type: 'string' },
      },
    },
  })
  async reportXlsx(@Query() query: ReportQuery, @Res() res: Response): Promise<void> {
    await this.reports.xlsx(res, query);
  }

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
