import type { Bilingual } from '#libs/documents';
import { monthStart } from '../dates.js';
import type { ForecastView } from '../forecast/forecast.dto.js';
import type { StatisticsRowView, StatisticsView } from '../statistics/statistics.dto.js';

/**
 * What the periodic report says, shared by its PDF and its XLSX: the figures of GET /statistics
 * (totals, then each dimension) and of GET /forecast (per month, with the months over capacity).
 */
export interface TotalFigure {
  label: Bilingual;
  kind: 'count' | 'rate';
  value: (s: StatisticsView) => number | null;
}

export const TOTAL_FIGURES: TotalFigure[] = [
  { label: { vi: 'Yêu cầu dịch vụ', en: 'service requests' }, kind: 'count', value: (s) => s.totals.requests },
  { label: { vi: 'Lượt phương tiện đo, mẫu', en: 'items' }, kind: 'count', value: (s) => s.totals.items },
  {
    label: { vi: 'Giấy chứng nhận, phiếu kết quả', en: 'certificates' },
    kind: 'count',
    value: (s) => s.totals.certificates,
  },
  { label: { vi: 'Đạt', en: 'pass' }, kind: 'count', value: (s) => s.totals.pass },
  { label: { vi: 'Không đạt', en: 'fail' }, kind: 'count', value: (s) => s.totals.fail },
  { label: { vi: 'Tỷ lệ đạt', en: 'pass rate' }, kind: 'rate', value: (s) => s.totals.passRate },
  {
    label: { vi: 'Thời gian thực hiện, trung vị (ngày)', en: 'turnaround median, days' },
    kind: 'count',
    value: (s) => s.totals.turnaround?.medianDays ?? null,
  },
  {
    label: { vi: 'Thời gian thực hiện, P90 (ngày)', en: 'turnaround p90, days' },
    kind: 'count',
    value: (s) => s.totals.turnaround?.p90Days ?? null,
  },
  {
    label: { vi: 'PTĐ đang sử dụng quá hạn kiểm định', en: 'overdue instruments in service' },
    kind: 'count',
    value: (s) => s.totals.overdueInstruments,
  },
  {
    label: { vi: 'PTĐ đang sử dụng quá hạn hiệu chuẩn', en: 'instruments overdue for calibration' },
    kind: 'count',
    value: (s) => s.totals.overdueCalibrations,
  },
  {
    label: { vi: 'Chuẩn đến hạn hiệu chuẩn (30 ngày)', en: 'standards due within 30 days' },
    kind: 'count',
    value: (s) => s.totals.standardsDue,
  },
  {
    label: { vi: 'Chuẩn quá hạn hiệu chuẩn', en: 'standards overdue' },
    kind: 'count',
    value: (s) => s.totals.standardsOverdue,
  },
];

export interface Dimension {
  rows: (s: StatisticsView) => StatisticsRowView[];
  /** The XLSX sheet's name (≤ 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  title: Bilingual;
}

export const DIMENSIONS: Dimension[] = [
  {
    rows: (s) => s.byType,
    sheet: 'Theo loại PTĐ',
    title: { vi: 'Theo loại phương tiện đo', en: 'By instrument type' },
  },
  { rows: (s) => s.byService, sheet: 'Theo dịch vụ', title: { vi: 'Theo dịch vụ', en: 'By service' } },
  { rows: (s) => s.byVerdict, sheet: 'Theo kết luận', title: { vi: 'Theo kết luận', en: 'By verdict' } },
  {
    rows: (s) => s.byCommune,
    sheet: 'Theo xã phường',
    title: { vi: 'Theo xã / phường / đặc khu', en: 'By commune' },
  },
  {
    rows: (s) => s.bySector,
    sheet: 'Theo lĩnh vực',
    title: { vi: 'Theo lĩnh vực của khách hàng', en: "By customer's sector" },
  },
];

export interface ForecastMonthTotal {
  month: string;
  due: number;
  expected: number;
  capacity: number;
  /** Codes of the types whose expected demand exceeds their capacity in the month. */
  typesOverCapacity: string[];
}

/**
 * The forecast summed per month over the types and services; a month is flagged when any type
 * exceeds its capacity for a service (a calibration shortfall is named as such).
 */
export function forecastMonths(f: ForecastView): ForecastMonthTotal[] {
  const code = new Map(f.types.map((t) => [t.instrumentTypeId, t.code]));
  const months = new Map<string, ForecastMonthTotal>();
  for (let i = 0; i < f.months; i++) {
    const month = monthStart(`${f.from}-01`, i).slice(0, 7);
    months.set(month, { month, due: 0, expected: 0, capacity: 0, typesOverCapacity: [] });
  }
  for (const m of f.byMonth) {
    const total = months.get(m.month) ?? { month: m.month, due: 0, expected: 0, capacity: 0, typesOverCapacity: [] };
    total.due += m.due;
    total.expected = Math.round((total.expected + m.expected) * 100) / 100;
    total.capacity += m.capacity;
    const type = code.get(m.instrumentTypeId) ?? m.instrumentTypeId;
    if (m.exceedsCapacity) total.typesOverCapacity.push(m.service === 'calibration' ? `${type} (hiệu chuẩn)` : type);
    months.set(m.month, total);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}
