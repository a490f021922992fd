import { barHeight, barLayout, niceScale, type ChartScale } from './chart-scale.js';
import { certificateFonts } from './fonts.js';
import { formatDate, NATIONAL_HEADING, type Bilingual } from './labels.js';
import { formatNumber } from './number-format.js';
import { a4Document, pdfBytes } from './pdf-output.js';

/**
 * A periodic report (báo cáo định kỳ): a title page with the key figures, then tables and bar charts,
 * in the certificates' fonts and number style (Vietnamese first, English beneath; decimal comma). The
 * report's content is its caller's (libs/reporting builds it from the statistics); this file only
 * lays it out. Sign the result with signPdfWith, as certificates are.
 */
export interface ReportColumn {
  head: Bilingual;
  align?: 'left' | 'right';
  /** Relative width (default 1). */
  weight?: number;
}

export interface ReportTable {
  kind: 'table';
  title: Bilingual;
  note?: Bilingual;
  columns: ReportColumn[];
  /** Cells already formatted (formatStatistic). */
  rows: string[][];
  /** Rows printed in bold red (months over capacity); the caller marks them in the text too. */
  flagged?: boolean[];
  /** Rows printed in bold (a totals row). */
  emphasised?: boolean[];
}

export interface ChartSeries {
  name: Bilingual;
  color: string;
  values: number[];
}

export interface ReportBarChart {
  kind: 'bar_chart';
  title: Bilingual;
  categories: string[];
  series: ChartSeries[];
  /** A limit drawn as a step line over the bars (capacity), in the same unit. */
  limit?: ChartSeries;
  /** Categories drawn with a red mark under the axis (demand over capacity). */
  flagged?: boolean[];
  /** How the axis prints values: counts or rates (0–1 printed as %). */
  values: 'count' | 'rate';
}

export type ReportSection = ReportTable | ReportBarChart;

export interface ReportModel {
  laboratory: { name: string; address?: string };
  /** Whom the report is for (Sở Khoa học và Công nghệ …). */
  recipient: Bilingual;
  title: Bilingual;
  period: Bilingual;
  /** Issue date, YYYY-MM-DD. */
  issuedOn: string;
  /** When the figures were read (the rollup's refresh time), ISO 8601. */
  asOf: string;
  /** Key figures on the title page. */
  summary: { label: Bilingual; value: string }[];
  sections: ReportSection[];
}

/** A figure as the report prints it: counts as integers, rates as percentages, with the decimal comma. */
export function formatStatistic(value: number | null | undefined, kind: 'count' | 'rate' | 'decimal'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (kind === 'count') return formatNumber(String(Math.round(value)), 'vi');
  if (kind === 'rate') return `${formatNumber((value * 100).toFixed(2), 'vi')} %`;
  return formatNumber(value.toFixed(2), 'vi');
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 56, bottom: 56, left: 48, right: 48 };
const WIDTH = A4.width - MARGIN.left - MARGIN.right;
const FONT = { regular: 'report-regular', bold: 'report-bold' } as const;
const COLOR = { text: '#000000', muted: '#555555', rule: '#8a8a8a', head: '#ececec', flag: '#b00020', grid: '#d0d0d0' };
const PAD = 3;

type Doc = PDFKit.PDFDocument;
interface Style {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

const nfc = (s: string): string => s.normalize('NFC');

function use(doc: Doc, s: Style = {}): Doc {
  return doc
    .font(s.bold ? FONT.bold : FONT.regular)
    .fontSize(s.size ?? 9)
    .fillColor(s.color ?? COLOR.text);
}

function textHeight(doc: Doc, text: string, width: number, s: Style = {}): number {
  return text ? use(doc, s).heightOfString(nfc(text), { width }) : 0;
}

/** Draws at (x, y); returns the height used. */
function write(doc: Doc, text: string, x: number, y: number, width: number, s: Style = {}): number {
  if (!text) return 0;
  use(doc, s).text(nfc(text), x, y, { width, align: s.align ?? 'left' });
  return doc.y - y;
}

const enOf = (s: Style): Style => ({ ...s, size: (s.size ?? 9) * 0.8, bold: false, color: COLOR.muted });

function biHeight(doc: Doc, b: Bilingual, width: number, s: Style = {}): number {
  return textHeight(doc, b.vi, width, s) + textHeight(doc, b.en, width, enOf(s));
}

function bi(doc: Doc, b: Bilingual, x: number, y: number, width: number, s: Style = {}): number {
  const h = write(doc, b.vi, x, y, width, s);
  return h + write(doc, b.en, x, y + h, width, enOf(s));
}

function ensure(doc: Doc, needed: number): void {
  if (doc.y + needed > A4.height - MARGIN.bottom) {
    doc.addPage();
    doc.y = MARGIN.top;
  }
}

function drawTitlePage(doc: Doc, m: ReportModel): void {
  const half = WIDTH / 2;
  const top = MARGIN.top;
  const left = bi(
    doc,
    { vi: m.laboratory.name.toUpperCase(), en: m.laboratory.address ?? '' },
    MARGIN.left,
    top,
    half - 10,
    {
      bold: true,
      size: 9,
      align: 'center',
    },
  );
  write(doc, NATIONAL_HEADING.motto, MARGIN.left + half, top, half, { bold: true, size: 9, align: 'center' });
  const right = write(doc, NATIONAL_HEADING.slogan, MARGIN.left + half, doc.y, half, {
    bold: true,
    size: 9,
    align: 'center',
  });
  doc.y = top + Math.max(left, right + 12) + 60;
  bi(doc, m.title, MARGIN.left, doc.y, WIDTH, { bold: true, size: 17, align: 'center' });
  doc.y += 8;
  bi(doc, m.period, MARGIN.left, doc.y, WIDTH, { bold: true, size: 12, align: 'center' });
  doc.y += 14;
  bi(doc, m.recipient, MARGIN.left, doc.y, WIDTH, { size: 11, align: 'center' });
  doc.y += 30;
  const rows: [Bilingual, string][] = [
    [{ vi: 'Ngày lập báo cáo', en: 'Date of the report' }, formatDate(m.issuedOn)],
    [{ vi: 'Số liệu tính đến', en: 'Figures as of' }, `${m.asOf.slice(0, 19).replace('T', ' ')} UTC`],
    ...m.summary.map((s): [Bilingual, string] => [s.label, s.value]),
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    const h = bi(doc, label, MARGIN.left + 60, y, 220, { size: 10 });
    write(doc, value, MARGIN.left + 280, y, WIDTH - 340, { size: 10, bold: true, align: 'right' });
    doc.y = y + Math.max(h, 14) + 4;
  }
}

/** A ruled table that breaks between rows and repeats its header on every page it runs onto. */
function drawTable(doc: Doc, t: ReportTable): void {
  const total = t.columns.reduce((s, c) => s + (c.weight ?? 1), 0);
  const widths = t.columns.map((c) => (WIDTH * (c.weight ?? 1)) / total);
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const head: Style = { size: 7.5, bold: true, align: 'center' };
  const headH = Math.max(...t.columns.map((c, i) => biHeight(doc, c.head, widths[i]! - 2 * PAD, head))) + 2 * PAD;
  const cellStyle = (r: number, c: number): Style => ({
    size: 8,
    bold: !!t.flagged?.[r] || !!t.emphasised?.[r],
    color: t.flagged?.[r] ? COLOR.flag : COLOR.text,
    align: t.columns[c]!.align ?? 'left',
  });
  const rowH = (r: number) =>
    Math.max(...t.columns.map((_, c) => textHeight(doc, t.rows[r]![c] || '—', widths[c]! - 2 * PAD, cellStyle(r, c)))) +
    2 * PAD;
  const box = (y: number, h: number, fill?: string) => {
    if (fill) doc.rect(MARGIN.left, y, WIDTH, h).fill(fill);
    doc.lineWidth(0.5).strokeColor(COLOR.rule);
    widths.forEach((w, i) => doc.rect(xs[i]!, y, w, h));
    doc.stroke();
  };
  const header = () => {
    const y = doc.y;
    box(y, headH, COLOR.head);
    t.columns.forEach((c, i) => bi(doc, c.head, xs[i]! + PAD, y + PAD, widths[i]! - 2 * PAD, head));
    doc.y = y + headH;
  };
  sectionTitle(doc, t.title, headH + (t.rows.length ? rowH(0) : 0));
  header();
  t.rows.forEach((row, r) => {
    const h = rowH(r);
    if (doc.y + h > A4.height - MARGIN.bottom) {
      doc.addPage();
      doc.y = MARGIN.top;
      header();
    }
    const y = doc.y;
    box(y, h);
    t.columns.forEach((_, c) =>
      write(doc, row[c] || '—', xs[c]! + PAD, y + PAD, widths[c]! - 2 * PAD, cellStyle(r, c)),
    );
    doc.y = y + h;
  });
  if (t.note) {
    doc.y += 3;
    bi(doc, t.note, MARGIN.left, doc.y, WIDTH, { size: 7.5, color: COLOR.muted });
  }
  doc.y += 10;
}

function sectionTitle(doc: Doc, title: Bilingual, keepWithNext: number): void {
  const h = biHeight(doc, title, WIDTH, { bold: true, size: 10.5 });
  ensure(doc, h + 4 + keepWithNext);
  const y = doc.y;
  doc.y = y + bi(doc, title, MARGIN.left, y, WIDTH, { bold: true, size: 10.5 }) + 4;
}

const CHART = { height: 150, axis: 40, labels: 46, legend: 14 };

function axisLabel(v: number, kind: ReportBarChart['values']): string {
  return kind === 'rate'
    ? `${formatNumber(String(Math.round(v * 100)), 'vi')} %`
    : formatStatistic(v, 'decimal').replace(/,00$/, '');
}

/** Gridlines and their values on the left; returns the scale. */
function drawAxis(doc: Doc, c: ReportBarChart, top: number): ChartScale {
  const values = [...c.series.flatMap((s) => s.values), ...(c.limit?.values ?? [])];
  const scale = c.values === 'rate' ? niceScale(1, 5, 1) : niceScale(Math.max(0, ...values), 5);
  const left = MARGIN.left + CHART.axis;
  for (const tick of scale.ticks) {
    const y = top + CHART.height - barHeight(tick, scale, CHART.height);
    doc
      .lineWidth(tick === 0 ? 0.8 : 0.3)
      .strokeColor(tick === 0 ? COLOR.rule : COLOR.grid)
      .moveTo(left, y)
      .lineTo(MARGIN.left + WIDTH, y)
      .stroke();
    write(doc, axisLabel(tick, c.values), MARGIN.left, y - 4, CHART.axis - 4, { size: 6.5, align: 'right' });
  }
  return scale;
}

/** A bar chart drawn with pdfkit's vector graphics: grouped bars, an optional limit line, a legend. */
function drawBarChart(doc: Doc, c: ReportBarChart): void {
  sectionTitle(doc, c.title, CHART.height + CHART.labels + CHART.legend);
  const top = doc.y + 4;
  const left = MARGIN.left + CHART.axis;
  const plotWidth = WIDTH - CHART.axis;
  const scale = drawAxis(doc, c, top);
  const layout = barLayout(c.categories.length, c.series.length, plotWidth);
  const base = top + CHART.height;
  c.series.forEach((s, si) =>
    s.values.forEach((v, gi) => {
      const h = barHeight(v, scale, CHART.height);
      if (h > 0) doc.rect(left + layout.x(gi, si), base - h, layout.barWidth, h).fill(s.color);
    }),
  );
  if (c.limit) {
    doc.lineWidth(1.2).strokeColor(c.limit.color);
    c.limit.values.forEach((v, gi) => {
      const y = base - barHeight(v, scale, CHART.height);
      doc.moveTo(left + gi * layout.slot + 2, y).lineTo(left + (gi + 1) * layout.slot - 2, y);
    });
    doc.stroke();
  }
  c.categories.forEach((label, gi) => {
    const x = left + gi * layout.slot;
    const flagged = !!c.flagged?.[gi];
    write(doc, `${flagged ? '* ' : ''}${label}`, x, base + 3, layout.slot, {
      size: 6.5,
      align: 'center',
      bold: flagged,
      color: flagged ? COLOR.flag : COLOR.text,
    });
  });
  doc.y = base + CHART.labels;
  drawLegend(doc, [...c.series, ...(c.limit ? [c.limit] : [])]);
}

function drawLegend(doc: Doc, series: ChartSeries[]): void {
  let x = MARGIN.left + CHART.axis;
  const y = doc.y;
  for (const s of series) {
    doc.rect(x, y + 1, 8, 8).fill(s.color);
    const label = `${s.name.vi} (${s.name.en})`;
    const w = use(doc, { size: 7 }).widthOfString(nfc(label));
    write(doc, label, x + 11, y, w + 2, { size: 7 });
    x += w + 26;
  }
  doc.y = y + CHART.legend + 8;
}

function drawFooters(doc: Doc, m: ReportModel): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: pdfkit would open a new page for text written there, so lift the margin.
    doc.page.margins.bottom = 0;
    write(doc, `${m.title.vi} — ${m.period.vi}`, MARGIN.left, A4.height - 38, WIDTH * 0.75, {
      size: 7,
      color: COLOR.muted,
    });
    write(doc, `Trang ${i - start + 1}/${count} (page)`, MARGIN.left + WIDTH * 0.75, A4.height - 38, WIDTH * 0.25, {
      size: 7,
      color: COLOR.muted,
      align: 'right',
    });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

/** Renders the report to an unsigned A4 PDF (sign it with signPdfWith). */
export async function renderReport(model: ReportModel, options: { createdAt?: Date } = {}): Promise<Buffer> {
  const fonts = certificateFonts();
  const doc = a4Document(MARGIN, {
    Title: nfc(`${model.title.vi} — ${model.period.vi}`),
    Author: nfc(model.laboratory.name),
    Subject: nfc(`${model.title.en} — ${model.period.en}`),
    CreationDate: options.createdAt ?? new Date(),
  });
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  return pdfBytes(doc, () => {
    drawTitlePage(doc, model);
    doc.addPage();
    doc.y = MARGIN.top;
    for (const s of model.sections) {
      if (s.kind === 'table') drawTable(doc, s);
      else drawBarChart(doc, s);
    }
    drawFooters(doc, model);
  });
}
