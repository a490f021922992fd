import { Injectable } from '@nestjs/common';
import { IntersectionType } from '@nestjs/swagger';
import { SpreadsheetFormatQuery, streamSpreadsheet, type SpreadsheetColumn, type SpreadsheetTarget } from '#libs/core';
import { StatisticsQuery, type StatisticsFigures, type StatisticsView } from './statistics.dto.js';
import { StatisticsService } from './statistics.service.js';

export class StatisticsExportQuery extends IntersectionType(StatisticsQuery, SpreadsheetFormatQuery) {}

export interface StatisticsLine extends StatisticsFigures {
  group: string;
  label: string;
}

export const STATISTICS_COLUMNS: SpreadsheetColumn<StatisticsLine>[] = [
  { header: 'Nhóm (group)', value: (l) => l.group },
  { header: 'Mục (label)', value: (l) => l.label, width: 36 },
  { header: 'Lượt phương tiện (items)', value: (l) => l.items },
  { header: 'Giấy chứng nhận (certificates)', value: (l) => l.certificates },
  { header: 'Đạt (pass)', value: (l) => l.pass },
  { header: 'Không đạt (fail)', value: (l) => l.fail },
  { header: 'Tỷ lệ đạt (passRate)', value: (l) => l.passRate },
  { header: 'Thời gian trung vị, ngày (turnaround median)', value: (l) => l.turnaround?.medianDays },
  { header: 'P90, ngày (turnaround p90)', value: (l) => l.turnaround?.p90Days },
  { header: 'Quá hạn kiểm định đang sử dụng (overdue)', value: (l) => l.overdueInstruments },
  { header: 'Quá hạn hiệu chuẩn (overdue calibration)', value: (l) => l.overdueCalibrations },
];

/** The lines of the statistics sheet: the totals, then each dimension's rows — the same figures as GET /statistics. */
export function statisticsLines(s: StatisticsView): StatisticsLine[] {
  return [
    { group: 'Tổng (total)', label: `${s.from} – ${s.to}`, ...s.totals },
    ...s.byType.map((r) => ({ group: 'Loại PTĐ (type)', ...r })),
    ...s.byService.map((r) => ({ group: 'Dịch vụ (service)', ...r })),
    ...s.byVerdict.map((r) => ({ group: 'Kết luận (verdict)', ...r })),
    ...s.byCommune.map((r) => ({ group: 'Xã/phường (commune)', ...r })),
    ...s.bySector.map((r) => ({ group: 'Lĩnh vực (sector)', ...r })),
  ];
}

/** The statistics of a period as XLSX or CSV (one sheet: totals and every dimension). */
@Injectable()
export class StatisticsExport {
  constructor(private readonly statistics: StatisticsService) {}

  async to(target: SpreadsheetTarget, query: StatisticsExportQuery): Promise<number> {
    const { format, ...rest } = query;
    const view = await this.statistics.statistics(rest);
    const lines = statisticsLines(view);
    async function* once(): AsyncIterable<StatisticsLine[]> {
      yield lines;
    }
    return streamSpreadsheet(target, format, `statistics-${view.from}-${view.to}`, STATISTICS_COLUMNS, once());
  }
}
