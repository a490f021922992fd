import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { CertificateSigningModule } from '#libs/certificates';
import { ForecastRepository } from './forecast/forecast.repository.js';
import { ForecastService } from './forecast/forecast.service.js';
import { ForecastController, StatisticsController } from './reporting.controller.js';
import { StatisticsRepository } from './statistics/statistics.repository.js';
import { StatisticsService } from './statistics/statistics.service.js';
import { StatisticsExport } from './statistics/statistics-export.js';
import { StatisticsReport } from './report/statistics-report.service.js';

/** Statistics and the demand forecast, read from the other libraries' published views (`*_v`). */
@Module({
  imports: [DatabaseModule, CertificateSigningModule],
  controllers: [StatisticsController, ForecastController],
  providers: [
    StatisticsRepository,
    StatisticsService,
    StatisticsExport,
    StatisticsReport,
    ForecastRepository,
    ForecastService,
  ],
  exports: [StatisticsService, ForecastService],
})
export class ReportingModule {}
