import { formatStatistic, renderReport, type ReportModel } from './render-report.js';
import { flat, hasTool, pdfPages, skipping } from './testing/pdf-tools.js';

const months = Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, '0')}`);

function model(rows = 70): ReportModel {
  return {
    laboratory: { name: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng', address: '12 Trần Phú, Khánh Hòa' },
    recipient: { vi: 'Kính gửi: Sở Khoa học và Công nghệ', en: 'To: the Department of Science and Technology' },
    title: { vi: 'BÁO CÁO THỐNG KÊ', en: 'STATISTICAL REPORT' },
    period: { vi: 'Quý III năm 2026', en: 'Quarter 3 of 2026' },
    issuedOn: '2026-10-05',
    asOf: '2026-10-05T01:02:03.000Z',
    summary: [{ label: { vi: 'Tỷ lệ đạt', en: 'pass rate' }, value: formatStatistic(0.66667, 'rate') }],
    sections: [
      {
        kind: 'table',
        title: { vi: 'Theo xã / phường', en: 'By commune' },
        columns: [
          { head: { vi: 'Mục', en: 'Item' }, weight: 3 },
          { head: { vi: 'GCN', en: 'Certificates' }, align: 'right' },
        ],
        rows: Array.from({ length: rows }, (_, i) => [`Phường Số ${i + 1}`, formatStatistic(i, 'count')]),
      },
      {
        kind: 'table',
        title: { vi: 'Dự báo', en: 'Forecast' },
        columns: [{ head: { vi: 'Tháng', en: 'Month' } }, { head: { vi: 'Dự kiến', en: 'Expected' }, align: 'right' }],
        rows: months.map((m, i) => [`${i === 2 ? '* ' : ''}${m}`, formatStatistic(i * 1.5, 'decimal')]),
        flagged: months.map((_, i) => i === 2),
      },
      {
        kind: 'bar_chart',
        title: { vi: 'Biểu đồ: dự kiến và năng lực', en: 'Chart: expected and capacity' },
        categories: months.map((m) => m.slice(5)),
        series: [{ name: { vi: 'Dự kiến', en: 'expected' }, color: '#ef6c00', values: months.map((_, i) => i * 1.5) }],
        limit: { name: { vi: 'Năng lực', en: 'capacity' }, color: '#37474f', values: months.map(() => 10) },
        flagged: months.map((_, i) => i === 2),
        values: 'count',
      },
    ],
  };
}

describe('formatStatistic', () => {
  it('prints counts whole, rates as percentages and decimals with the decimal comma; nothing as a dash', () => {
    expect(formatStatistic(1234, 'count')).toBe('1234');
    expect(formatStatistic(0.66667, 'rate')).toBe('66,67 %');
    expect(formatStatistic(2.25, 'decimal')).toBe('2,25');
    expect(formatStatistic(null, 'rate')).toBe('—');
  });
});

describe('renderReport', () => {
  it('draws the title page, tables running over pages with their header repeated, and the charts', async () => {
    const started = performance.now();
    const pdf = await renderReport(model(), { createdAt: new Date('2026-10-05T01:02:03Z') });
    const ms = performance.now() - started;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(ms).toBeLessThan(5000);
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the report text');
    const pages = pdfPages(pdf).map(flat);
    expect(pages[0]).toContain('Quý III năm 2026');
    expect(pages[0]).toContain('66,67 %');
    expect(pages[0]).toContain('05/10/2026');
    const all = pages.join(' ');
    expect(all).toContain('Phường Số 70');
    expect(all).toContain('* 2027-03');
    expect(all).toContain('16,50');
    // 70 commune rows do not fit one page: the table's header is repeated where it runs on.
    const withHeader = pages.filter((p) => p.includes('Certificates'));
    expect(withHeader.length).toBeGreaterThan(1);
    expect(pages.at(-1)).toContain(`Trang ${pages.length}/${pages.length}`);
  });
});
