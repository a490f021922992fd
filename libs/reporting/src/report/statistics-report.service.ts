import { Injectable, Logger } from '@nestjs/common';
import type { SpreadsheetTarget } from '#libs/core';
import { CertificateSettings } from '#libs/certificates';
import { renderReport, signPdfWith } from '#libs/documents';
import { todayInVietnam } from '#libs/registry';
import type { ForecastView } from '../forecast/forecast.dto.js';
import { ForecastService } from '../forecast/forecast.service.js';
import type { StatisticsView } from '../statistics/statistics.dto.js';
import { StatisticsService } from '../statistics/statistics.service.js';
import type { ReportQuery } from './report.dto.js';
import { buildReportModel, REPORT_TITLE } from './report-model.js';
import { reportPeriod, type ReportPeriod } from './report-period.js';
import { writeReportWorkbook } from './report-workbook.js';

interface ReportData {
  period: ReportPeriod;
  statistics: StatisticsView;
  forecast: ForecastView;
}

/**
 * The periodic report to the Sở KH&CN (quarter or year): GET /statistics and GET /forecast of the
 * period as a signed PDF with tables and charts, or as XLSX with the same tables. Rendered in the
 * request: a report takes a few hundred milliseconds (bench figure in libs/reporting/README.md), so
 * it is not queued as certificates are.
 */
@Injectable()
export class StatisticsReport {
  private readonly logger = new Logger('StatisticsReport');

  constructor(
    private readonly statistics: StatisticsService,
    private readonly forecasts: ForecastService,
    private readonly settings: CertificateSettings,
  ) {}

  /** The signed PDF: signed with the laboratory's certificate-signing identity, as certificates are. */
  async pdf(query: ReportQuery): Promise<{ bytes: Buffer; fileName: string }> {
    const data = await this.data(query);
    const started = performance.now();
    const now = new Date();
    const { laboratory } = this.settings;
    const model = buildReportModel({
      laboratory: { name: laboratory.name, address: laboratory.address },
      issuedOn: todayInVietnam(),
      ...data,
    });
    const pdf = await renderReport(model, { createdAt: now });
    const bytes = await signPdfWith(pdf, this.settings.identity, {
      reason: `${REPORT_TITLE.vi} — ${data.period.label.vi} / ${REPORT_TITLE.en} — ${data.period.label.en}`,
      location: laboratory.address,
      name: laboratory.name,
      contactInfo: [laboratory.phone, laboratory.email].filter(Boolean).join(', ') || laboratory.name,
      signingTime: now,
    });
    this.logger.log(
      `report ${data.period.key}: ${bytes.length} bytes, rendered and signed in ${Math.round(performance.now() - started)} ms`,
    );
    return { bytes, fileName: `bao-cao-thong-ke-${data.period.key}.pdf` };
  }

  async xlsx(target: SpreadsheetTarget, query: ReportQuery): Promise<void> {
    await writeReportWorkbook(target, await this.data(query));
  }

  private async data(query: ReportQuery): Promise<ReportData> {
    const period = reportPeriod(query);
    const statistics = await this.statistics.statistics({ from: period.from, to: period.to, refresh: false });
    const forecast = await this.forecasts.forecast({ itemsPerTechnicianDay: query.itemsPerTechnicianDay });
    return { period, statistics, forecast };
  }
}
