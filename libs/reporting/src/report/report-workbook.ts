import type * as ExcelJS from 'exceljs';
import { loadExcelJS, SPREADSHEET_MEDIA_TYPES, type SpreadsheetTarget } from '#libs/core';
import type { ForecastView } from '../forecast/forecast.dto.js';
import type { StatisticsView } from '../statistics/statistics.dto.js';
import { STATISTICS_COLUMNS } from '../statistics/statistics-export.js';
import { DIMENSIONS, forecastMonths, TOTAL_FIGURES } from './report-content.js';
import type { ReportPeriod } from './report-period.js';

type Sheet = ExcelJS.Worksheet;

/** The totals sheet: one figure a row, as the PDF's first table (rates as fractions: Excel formats them). */
function totalsSheet(sheet: Sheet, s: StatisticsView, period: ReportPeriod): void {
  sheet.columns = [
    { header: 'Chỉ tiêu (figure)', width: 48 },
    { header: 'Mã (key)', width: 28 },
    { header: 'Giá trị (value)', width: 16 },
  ];
  sheet.addRow(['Kỳ báo cáo (period)', 'period', period.key]).commit();
  sheet.addRow(['Từ ngày (from)', 'from', s.from]).commit();
  sheet.addRow(['Đến ngày (to)', 'to', s.to]).commit();
  sheet.addRow(['Số liệu tính đến (as of)', 'asOf', s.asOf]).commit();
  for (const f of TOTAL_FIGURES) sheet.addRow([f.label.vi, f.label.en, f.value(s)]).commit();
}

/** A dimension's sheet: the columns of GET /statistics/export, one row per key. */
function dimensionSheet(sheet: Sheet, rows: StatisticsView['byType'], group: string): void {
  sheet.columns = STATISTICS_COLUMNS.map((c) => ({ header: c.header, width: c.width ?? 18 }));
  for (const r of rows) sheet.addRow(STATISTICS_COLUMNS.map((c) => c.value({ group, ...r }) ?? null)).commit();
}

function forecastSheet(sheet: Sheet, f: ForecastView): void {
  sheet.columns = [
    { header: 'Tháng (month)', width: 12 },
    { header: 'Đến hạn (due)', width: 14 },
    { header: 'Dự kiến (expected)', width: 16 },
    { header: 'Năng lực (capacity)', width: 16 },
    { header: 'Vượt năng lực (over capacity)', width: 18 },
    { header: 'Loại vượt năng lực (types over capacity)', width: 40 },
  ];
  for (const m of forecastMonths(f)) {
    const over = m.typesOverCapacity.length > 0;
    sheet
      .addRow([
        m.month,
        m.due,
        m.expected,
        m.capacity,
        over ? 'Có (yes)' : 'Không (no)',
        m.typesOverCapacity.join(', '),
      ])
      .commit();
  }
}

/**
 * The periodic report as XLSX, streamed (exceljs's WorkbookWriter): the same tables as the PDF on
 * named sheets — Tổng hợp, one per dimension, Dự báo 12 tháng.
 */
export async function writeReportWorkbook(
  target: SpreadsheetTarget,
  input: { period: ReportPeriod; statistics: StatisticsView; forecast: ForecastView },
): Promise<void> {
  target.setHeader('Content-Type', SPREADSHEET_MEDIA_TYPES.xlsx);
  target.setHeader('Content-Disposition', `attachment; filename="bao-cao-thong-ke-${input.period.key}.xlsx"`);
  const { stream } = await loadExcelJS();
  const workbook = new stream.xlsx.WorkbookWriter({
    stream: target,
    useStyles: false,
    useSharedStrings: false,
  });
  const add = (name: string, fill: (sheet: Sheet) => void) => {
    const sheet = workbook.addWorksheet(name);
    fill(sheet);
    sheet.commit();
  };
  add('Tổng hợp', (sheet) => totalsSheet(sheet, input.statistics, input.period));
  for (const d of DIMENSIONS) add(d.sheet, (sheet) => dimensionSheet(sheet, d.rows(input.statistics), d.title.vi));
  add('Dự báo 12 tháng', (sheet) => forecastSheet(sheet, input.forecast));
  await workbook.commit();
}
