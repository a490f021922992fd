import { formatDate, formatStatistic, type ReportModel, type ReportSection, type ReportTable } from '#libs/documents';
import type { ForecastView } from '../forecast/forecast.dto.js';
import type { StatisticsRowView, StatisticsView } from '../statistics/statistics.dto.js';
import { DIMENSIONS, forecastMonths, TOTAL_FIGURES } from './report-content.js';
import type { ReportPeriod } from './report-period.js';

export const REPORT_TITLE = {
  vi: 'BÁO CÁO THỐNG KÊ HOẠT ĐỘNG KIỂM ĐỊNH, HIỆU CHUẨN, THỬ NGHIỆM',
  en: 'STATISTICAL REPORT ON VERIFICATION, CALIBRATION AND TESTING',
};

const COLOR = {
  pass: '#2e7d32',
  fail: '#c62828',
  none: '#9e9e9e',
  rate: '#1565c0',
  expected: '#ef6c00',
  capacity: '#37474f',
};

const FIGURE_COLUMNS: ReportTable['columns'] = [
  { head: { vi: 'Mục', en: 'Item' }, weight: 3.2 },
  { head: { vi: 'Lượt PTĐ', en: 'Items' }, align: 'right' },
  { head: { vi: 'GCN', en: 'Certificates' }, align: 'right' },
  { head: { vi: 'Đạt', en: 'Pass' }, align: 'right' },
  { head: { vi: 'Không đạt', en: 'Fail' }, align: 'right' },
  { head: { vi: 'Tỷ lệ đạt', en: 'Pass rate' }, align: 'right', weight: 1.2 },
  { head: { vi: 'Trung vị (ngày)', en: 'Median (days)' }, align: 'right' },
  { head: { vi: 'P90 (ngày)', en: 'P90 (days)' }, align: 'right' },
  { head: { vi: 'Quá hạn KĐ', en: 'Overdue verif.' }, align: 'right' },
  { head: { vi: 'Quá hạn HC', en: 'Overdue calib.' }, align: 'right' },
];

function figureRow(r: StatisticsRowView): string[] {
  return [
    r.label,
    formatStatistic(r.items, 'count'),
    formatStatistic(r.certificates, 'count'),
    formatStatistic(r.pass, 'count'),
    formatStatistic(r.fail, 'count'),
    formatStatistic(r.passRate, 'rate'),
    formatStatistic(r.turnaround?.medianDays, 'count'),
    formatStatistic(r.turnaround?.p90Days, 'count'),
    formatStatistic(r.overdueInstruments, 'count'),
    formatStatistic(r.overdueCalibrations, 'count'),
  ];
}

function totalsTable(s: StatisticsView): ReportTable {
  return {
    kind: 'table',
    title: { vi: '1. Số liệu tổng hợp', en: '1. Totals' },
    columns: [
      { head: { vi: 'Chỉ tiêu', en: 'Figure' }, weight: 4 },
      { head: { vi: 'Giá trị', en: 'Value' }, align: 'right' },
    ],
    rows: TOTAL_FIGURES.map((f) => [`${f.label.vi} (${f.label.en})`, formatStatistic(f.value(s), f.kind)]),
    note: {
      vi: 'Không tính giấy chứng nhận đã bị thu hồi. PTĐ quá hạn và chuẩn đến hạn tính tại ngày lập báo cáo.',
      en: 'Revoked certificates are left out. Overdue instruments and standards due are as of the report date.',
    },
  };
}

function forecastSections(f: ForecastView): ReportSection[] {
  const months = forecastMonths(f);
  const table: ReportTable = {
    kind: 'table',
    title: {
      vi: `${DIMENSIONS.length + 2}. Dự báo nhu cầu kiểm định định kỳ và hiệu chuẩn 12 tháng`,
      en: '12-month demand forecast (periodic verification and calibration)',
    },
    columns: [
      { head: { vi: 'Tháng', en: 'Month' } },
      { head: { vi: 'Đến hạn', en: 'Falling due' }, align: 'right' },
      { head: { vi: 'Dự kiến', en: 'Expected' }, align: 'right' },
      { head: { vi: 'Năng lực', en: 'Capacity' }, align: 'right' },
      { head: { vi: 'Loại vượt năng lực', en: 'Types over capacity' }, weight: 2.5 },
    ],
    rows: months.map((m) => [
      `${m.typesOverCapacity.length ? '* ' : ''}${m.month.slice(5)}/${m.month.slice(0, 4)}`,
      formatStatistic(m.due, 'count'),
      formatStatistic(m.expected, 'decimal'),
      formatStatistic(m.capacity, 'count'),
      m.typesOverCapacity.join(', '),
    ]),
    flagged: months.map((m) => m.typesOverCapacity.length > 0),
    note: {
      vi: `*: nhu cầu dự kiến của ít nhất một loại PTĐ vượt năng lực (${f.itemsPerTechnicianDay} PTĐ/kiểm định viên/ngày làm việc).`,
      en: `*: the expected demand of at least one type exceeds its capacity (${f.itemsPerTechnicianDay} items per technician per working day).`,
    },
  };
  return [
    table,
    {
      kind: 'bar_chart',
      title: {
        vi: 'Biểu đồ: nhu cầu dự kiến và năng lực theo tháng',
        en: 'Chart: expected demand and capacity per month',
      },
      categories: months.map((m) => m.month.slice(5)),
      series: [
        { name: { vi: 'Dự kiến', en: 'expected' }, color: COLOR.expected, values: months.map((m) => m.expected) },
      ],
      limit: { name: { vi: 'Năng lực', en: 'capacity' }, color: COLOR.capacity, values: months.map((m) => m.capacity) },
      flagged: months.map((m) => m.typesOverCapacity.length > 0),
      values: 'count',
    },
  ];
}

function charts(s: StatisticsView): ReportSection[] {
  const rated = s.byType.filter((t) => t.passRate !== null).slice(0, 12);
  return [
    {
      kind: 'bar_chart',
      title: { vi: 'Biểu đồ: giấy chứng nhận theo dịch vụ', en: 'Chart: certificates per service' },
      categories: s.byService.map((r) => r.label),
      series: [
        { name: { vi: 'Đạt', en: 'pass' }, color: COLOR.pass, values: s.byService.map((r) => r.pass) },
        { name: { vi: 'Không đạt', en: 'fail' }, color: COLOR.fail, values: s.byService.map((r) => r.fail) },
        {
          name: { vi: 'Không kết luận', en: 'no verdict' },
          color: COLOR.none,
          values: s.byService.map((r) => r.certificates - r.pass - r.fail),
        },
      ],
      values: 'count',
    },
    {
      kind: 'bar_chart',
      title: { vi: 'Biểu đồ: tỷ lệ đạt theo loại phương tiện đo', en: 'Chart: pass rate per instrument type' },
      categories: rated.map((r) => r.label),
      series: [
        { name: { vi: 'Tỷ lệ đạt', en: 'pass rate' }, color: COLOR.rate, values: rated.map((r) => r.passRate ?? 0) },
      ],
      values: 'rate',
    },
  ];
}

/** The periodic report to the Sở KH&CN: the statistics of the period and the forecast, as tables and charts. */
export function buildReportModel(input: {
  laboratory: { name: string; address?: string };
  period: ReportPeriod;
  statistics: StatisticsView;
  forecast: ForecastView;
  issuedOn: string;
}): ReportModel {
  const { statistics: s, period } = input;
  return {
    laboratory: input.laboratory,
    recipient: { vi: 'Kính gửi: Sở Khoa học và Công nghệ', en: 'To: the Department of Science and Technology' },
    title: REPORT_TITLE,
    period: {
      vi: `${period.label.vi} (từ ${formatDate(period.from)} đến ${formatDate(period.to)})`,
      en: `${period.label.en} (${period.from} to ${period.to})`,
    },
    issuedOn: input.issuedOn,
    asOf: s.asOf,
    summary: TOTAL_FIGURES.slice(0, 6).map((f) => ({ label: f.label, value: formatStatistic(f.value(s), f.kind) })),
    sections: [
      totalsTable(s),
      ...DIMENSIONS.map((d, i): ReportTable => ({
        kind: 'table',
        title: { vi: `${i + 2}. ${d.title.vi}`, en: `${i + 2}. ${d.title.en}` },
        columns: FIGURE_COLUMNS,
        rows: d.rows(s).length ? d.rows(s).map(figureRow) : [['Không có số liệu (no data)']],
      })),
      ...charts(s),
      ...forecastSections(input.forecast),
    ],
  };
}
