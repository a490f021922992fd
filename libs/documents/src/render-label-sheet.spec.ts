import { A4_21_LABELS, renderLabelSheet, type LabelSheetEntry } from './render-label-sheet.js';
import { flat, hasTool, pdfPages, qrCodesOnFirstPage, skipping } from './testing/pdf-tools.js';

const entry = (i: number): LabelSheetEntry => ({
  code: `TĐC-26-${String(i).padStart(6, '0')}`,
  title: 'Cột đo nhiên liệu — Tatsuno Sunny',
  lines: [`Số sản xuất: SN-${i}`, 'YC-2026-000042 · Công ty Xăng dầu Quảng Ngãi'],
});

describe('renderLabelSheet', () => {
  it('writes a PDF whose first page carries every label’s code, title and lines in Vietnamese', async () => {
    const pdf = await renderLabelSheet([entry(1), entry(2), entry(3)], { title: 'Tem nhãn YC-2026-000042' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the label text');
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(1);
    const text = flat(pages[0]!);
    for (const i of [1, 2, 3]) {
      expect(text).toContain(`TĐC-26-00000${i}`);
      expect(text).toContain(`Số sản xuất: SN-${i}`);
    }
    expect(text).toContain('Cột đo nhiên liệu');
  });

  it('encodes each label’s code in a QR that a scanner reads back', async () => {
    const labels = [entry(7), entry(8), entry(9), entry(10), { code: 'PLAIN-ASCII-1', title: 'Mẫu' }];
    const pdf = await renderLabelSheet(labels);
    if (!hasTool('zbarimg') || !hasTool('pdftoppm')) return skipping('zbarimg', 'decoding the label QR codes');
    expect(qrCodesOnFirstPage(pdf, { dpi: 200, utf8: true }).sort()).toEqual(labels.map((l) => l.code).sort());
  });

  it('starts a new page when the sheet is full (21 labels a page on the default layout)', async () => {
    const perPage = A4_21_LABELS.columns * A4_21_LABELS.rows;
    const labels = Array.from({ length: perPage + 2 }, (_, i) => entry(i + 1));
    const pdf = await renderLabelSheet(labels);
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'counting the pages');
    const pages = pdfPages(pdf).map(flat);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain(labels[perPage - 1]!.code);
    expect(pages[0]).not.toContain(labels[perPage]!.code);
    expect(pages[1]).toContain(labels[perPage]!.code);
    expect(pages[1]).toContain(labels[perPage + 1]!.code);
  });

  it('shrinks a long code to fit its label rather than wrapping it', async () => {
    const code = 'PHÒNG-THỬ-NGHIỆM-2026-000000123456';
    const pdf = await renderLabelSheet([{ code, title: 'Mẫu xăng RON 95' }]);
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the code');
    expect(flat(pdfPages(pdf)[0]!)).toContain(code);
  });

  it('prints a long serial number on one line, smaller, never wrapped; an overlong one ends with an ellipsis', async () => {
    const serial = 'Số sản xuất: LBL-MX4IJQMY-000123';
    const overlong = `Ghi chú: ${'rất dài '.repeat(12)}`;
    const pdf = await renderLabelSheet([{ code: 'A-1', title: 'Cân', lines: [serial, overlong] }]);
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the lines');
    const text = flat(pdfPages(pdf)[0]!);
    expect(text).toContain(serial);
    expect(text).toMatch(/Ghi chú: (rất dài ?)+…/);
    expect(text).not.toContain(overlong.trim());
  });

  it('refuses an empty sheet', async () => {
    await expect(renderLabelSheet([])).rejects.toThrow('no labels');
  });
});
