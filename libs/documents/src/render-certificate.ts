import type { FontkitFont } from 'fontkit';
import {
  failingRows,
  isVerificationKind,
  validateCertificateModel,
  type CertificateModel,
  type QuantityValue,
  type ResultRow,
  type ResultTable,
} from './certificate-model.js';
import { certificateFonts } from './fonts.js';
import {
  amendmentSentence,
  columnLabels,
  conformitySentence,
  decisionRuleSentence,
  decisionWords,
  fieldLabels,
  formatDate,
  meanExtraDigitSentence,
  NATIONAL_HEADING,
  onlyThisItemSentence,
  reproduceInFullSentence,
  testMarksSentence,
  TITLES,
  traceabilitySentence,
  uncertaintySentence,
  verdict,
  VERIFICATION_TYPES,
  type Bilingual,
} from './labels.js';
import { failingCountSentence, NOTICE_LABELS, notForUseSentence } from './notice-labels.js';
import {
  formatLimit,
  formatNumber,
  formatReading,
  formatToUncertainty,
  formatUncertainty,
  resolutionDecimals,
} from './number-format.js';
import { a4Document, pdfBytes } from './pdf-output.js';
import { drawQrCode } from './qr.js';

export interface RenderOptions {
  /** CreationDate in the PDF's metadata; defaults to now. */
  createdAt?: Date;
  /** The laboratory's logo (PNG or JPEG), drawn at the top left of every page. */
  logo?: Buffer;
}

const A4 = { width: 595.28, height: 841.89 };
/** `top` is a floor: the real top margin is set per document below the measured page header. */
const MARGIN = { top: 72, bottom: 58, left: 42, right: 42 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const COLOR = { text: '#000000', muted: '#555555', rule: '#7a7a7a', headerFill: '#ececec', box: '#f5f5f5' };
const SIZE = { body: 9, en: 7, small: 7.5, heading: 10.5, title: 16, titleEn: 10.5 };
const LABEL_WIDTH = 122;
/** In a row of two fields, the second field's label column. */
const PAIR_LABEL_WIDTH = 108;
const QR_SIDE = 78;
const FONT = { regular: 'certificate-regular', bold: 'certificate-bold' } as const;

type Doc = PDFKit.PDFDocument;
type Weight = 'regular' | 'bold';
interface TextStyle {
  size?: number;
  weight?: Weight;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

/** Text is NFC-normalised: the font has precomposed Vietnamese letters, and decomposed input would print its marks loose. */
const nfc = (s: string): string => s.normalize('NFC');

/** pdfkit drawing with the two certificate fonts, bilingual blocks and explicit page breaks. */
class Layout {
  constructor(
    readonly doc: Doc,
    fonts: { regular: FontkitFont; bold: FontkitFont },
  ) {
    // Registered under names: pdfkit caches fonts by name, while an unnamed font object would be
    // re-opened and compared on every font switch. (pdfkit 0.20 accepts parsed fontkit fonts; its
    // types only know paths and buffers.)
    doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
    doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  }

  get top(): number {
    return this.doc.page.margins.top;
  }
  get bottom(): number {
    return A4.height - MARGIN.bottom;
  }

  use(style: TextStyle = {}): Doc {
    return this.doc
      .font(style.weight === 'bold' ? FONT.bold : FONT.regular)
      .fontSize(style.size ?? SIZE.body)
      .fillColor(style.color ?? COLOR.text);
  }

  height(text: string, width: number, style: TextStyle = {}): number {
    if (!text) return 0;
    const doc = this.use(style);
    const t = nfc(text);
    // Most cells and labels are one short line: their height is one line's, with no need to run
    // pdfkit's line wrapper (the half-point margin leaves borderline cases to the wrapper).
    if (!t.includes('\n') && doc.widthOfString(t) <= width - 0.5) return doc.currentLineHeight(true);
    return doc.heightOfString(t, { width });
  }

  /** Draws at (x, y) within `width`; returns the height used. The caller has made room. */
  write(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    if (!text) return 0;
    this.use(style).text(nfc(text), x, y, { width, align: style.align ?? 'left' });
    return this.doc.y - y;
  }

  biHeight(b: Bilingual, width: number, style: TextStyle = {}): number {
    return this.height(b.vi, width, style) + this.height(b.en, width, { ...style, ...enStyle(style) });
  }

  /** Vietnamese, with the English beneath in smaller grey type. */
  bi(b: Bilingual, x: number, y: number, width: number, style: TextStyle = {}): number {
    const h = this.write(b.vi, x, y, width, style);
    return h + this.write(b.en, x, y + h, width, { ...style, ...enStyle(style) });
  }

  /** Starts a new page unless `needed` points fit below the cursor. */
  ensure(needed: number): void {
    if (this.doc.y + needed > this.bottom) {
      this.doc.addPage();
      this.doc.y = this.top;
    }
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  /** A paragraph that may run over a page break (pdfkit flows it). */
  flow(b: Bilingual, style: TextStyle = {}, width = CONTENT_WIDTH, x = MARGIN.left): void {
    this.ensure(Math.min(this.biHeight(b, width, style), 40));
    if (b.vi) this.use(style).text(nfc(b.vi), x, this.doc.y, { width, align: style.align ?? 'left' });
    if (b.en)
      this.use({ ...style, ...enStyle(style) }).text(nfc(b.en), x, this.doc.y, { width, align: style.align ?? 'left' });
  }

  /**
   * The identification list: bilingual label on the left, value on the right. Consecutive fields
   * whose values fit on one short line share a row, two abreast, to keep page 1 to one page.
   */
  fields(entries: Field[]): void {
    const list = entries
      .map((f) => ({
        ...f,
        lines: (Array.isArray(f.value) ? f.value : [f.value]).filter((v): v is string => !!v && v.trim() !== ''),
      }))
      .filter((f) => f.lines.length > 0);
    const half = CONTENT_WIDTH / 2;
    const slots = [
      { x: MARGIN.left, labelWidth: LABEL_WIDTH, valueWidth: half - LABEL_WIDTH - 6 },
      { x: MARGIN.left + half, labelWidth: PAIR_LABEL_WIDTH, valueWidth: half - PAIR_LABEL_WIDTH },
    ];
    const fits = (f: (typeof list)[number], slot: (typeof slots)[number]) =>
      f.lines.length === 1 &&
      this.use({ size: SIZE.body, ...f.style }).widthOfString(nfc(f.lines[0])) <= slot.valueWidth &&
      this.height(f.label.vi, slot.labelWidth - 8, { size: SIZE.body }) <= this.height('Ag', 200, { size: SIZE.body });
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      const next = list[i + 1];
      if (next && fits(f, slots[0]) && fits(next, slots[1])) {
        this.fieldRow([
          [f, slots[0]],
          [next, slots[1]],
        ]);
        i++;
      } else {
        this.fieldRow([[f, { x: MARGIN.left, labelWidth: LABEL_WIDTH, valueWidth: CONTENT_WIDTH - LABEL_WIDTH }]]);
      }
    }
  }

  private fieldRow(
    cells: [
      { label: Bilingual; lines: string[]; style?: TextStyle },
      { x: number; labelWidth: number; valueWidth: number },
    ][],
  ): void {
    const measured = cells.map(([f, slot]) => {
      const style = { size: SIZE.body, ...f.style };
      const text = f.lines.join('\n');
      const h = Math.max(
        this.biHeight(f.label, slot.labelWidth - 8, { size: SIZE.body }),
        this.height(text, slot.valueWidth, style),
      );
      return { f, slot, style, text, h };
    });
    const h = Math.max(...measured.map((m) => m.h));
    this.ensure(h + 3);
    const y = this.doc.y;
    for (const { f, slot, style, text } of measured) {
      this.bi(f.label, slot.x, y, slot.labelWidth - 8, { size: SIZE.body });
      this.write(':', slot.x + slot.labelWidth - 8, y, 6);
      this.write(text, slot.x + slot.labelWidth, y, slot.valueWidth, style);
    }
    this.doc.y = y + h + 3;
  }

  /** A section heading, kept on the same page as the first `keepWithNext` points of what follows. */
  heading(b: Bilingual, keepWithNext = 40): void {
    this.ensure(this.biHeight(b, CONTENT_WIDTH, { size: SIZE.heading, weight: 'bold' }) + 6 + keepWithNext);
    this.gap(6);
    const y = this.doc.y;
    const h = this.bi(b, MARGIN.left, y, CONTENT_WIDTH, { size: SIZE.heading, weight: 'bold' });
    this.doc.y = y + h + 4;
  }

  /** A labelled paragraph: bold bilingual label, then the bilingual text. */
  statement(label: Bilingual, body: Bilingual): void {
    this.ensure(30);
    const y = this.doc.y;
    const h = this.bi(label, MARGIN.left, y, CONTENT_WIDTH, { size: SIZE.body, weight: 'bold' });
    this.doc.y = y + h + 1;
    this.flow(body);
    this.gap(5);
  }
}

interface Field {
  label: Bilingual;
  value: string | string[] | undefined;
  style?: TextStyle;
}

function enStyle(style: TextStyle): TextStyle {
  return {
    size: (style.size ?? SIZE.body) * 0.8,
    weight: style.weight === 'bold' && (style.size ?? 0) >= SIZE.heading ? 'bold' : 'regular',
    color: COLOR.muted,
  };
}

// ---------------------------------------------------------------- tables

interface Cell {
  text: string;
  sub?: string;
}
interface Column<R> {
  head: Bilingual;
  unit?: string;
  weight: number;
  align: 'left' | 'center';
  cell: (row: R) => Cell;
}

const CELL_PAD = 3;
/** Room for a table's title, header row and first rows, so a heading is not left alone at a page's foot. */
const KEEP_WITH_TABLE = 130;

/**
 * A ruled table that breaks between rows, never inside one, and repeats its header row (and title,
 * marked "continued") on every page it runs onto.
 */
function drawTable<R>(l: Layout, title: Bilingual | undefined, columns: Column<R>[], rows: R[]): void {
  if (rows.length === 0) return;
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (CONTENT_WIDTH * c.weight) / total);
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const inner = (i: number) => widths[i] - 2 * CELL_PAD;
  const headStyle: TextStyle = { size: SIZE.small, weight: 'bold', align: 'center' };
  const bodyStyle = (c: Column<R>): TextStyle => ({ size: 8.5, align: c.align });
  const subStyle = (c: Column<R>): TextStyle => ({ size: 6.5, color: COLOR.muted, align: c.align });

  const headCell = (c: Column<R>): Bilingual => ({
    vi: c.head.vi,
    en: c.unit ? `${c.head.en}\n(${c.unit})` : c.head.en,
  });
  const headHeight = Math.max(...columns.map((c, i) => l.biHeight(headCell(c), inner(i), headStyle))) + 2 * CELL_PAD;
  const rowHeight = (row: R) =>
    Math.max(
      ...columns.map((c, i) => {
        const cell = c.cell(row);
        return (
          l.height(cell.text || '—', inner(i), bodyStyle(c)) +
          (cell.sub ? l.height(cell.sub, inner(i), subStyle(c)) : 0)
        );
      }),
    ) +
    2 * CELL_PAD;
  const titleHeight = (continued: boolean) =>
    title
      ? l.biHeight(continued ? cont(title) : title, CONTENT_WIDTH, { size: SIZE.body, weight: 'bold' }) + 3
      : continued
        ? 12
        : 0;

  const grid = (y: number, h: number, fill?: string) => {
    if (fill) l.doc.rect(MARGIN.left, y, CONTENT_WIDTH, h).fill(fill);
    l.doc.lineWidth(0.5).strokeColor(COLOR.rule);
    for (let i = 0; i < columns.length; i++) l.doc.rect(xs[i], y, widths[i], h);
    l.doc.stroke();
  };
  const header = (continued: boolean) => {
    const th = titleHeight(continued);
    if (th) {
      const t = title ? (continued ? cont(title) : title) : { vi: 'Bảng kết quả (tiếp theo)', en: '(continued)' };
      l.bi(t, MARGIN.left, l.doc.y, CONTENT_WIDTH, { size: SIZE.body, weight: 'bold' });
      l.doc.y += 3;
    }
    const y = l.doc.y;
    grid(y, headHeight, COLOR.headerFill);
    columns.forEach((c, i) => l.bi(headCell(c), xs[i] + CELL_PAD, y + CELL_PAD, inner(i), headStyle));
    l.doc.y = y + headHeight;
  };

  // Start on a new page rather than leave the header with fewer than three rows at a page's foot.
  l.ensure(titleHeight(false) + headHeight + rows.slice(0, 3).reduce((s, r) => s + rowHeight(r), 0));
  header(false);
  for (const row of rows) {
    const h = rowHeight(row);
    if (l.doc.y + h > l.bottom) {
      l.doc.addPage();
      l.doc.y = l.top;
      header(true);
    }
    const y = l.doc.y;
    columns.forEach((c, i) => {
      const cell = c.cell(row);
      const used = l.write(cell.text || '—', xs[i] + CELL_PAD, y + CELL_PAD, inner(i), bodyStyle(c));
      if (cell.sub) l.write(cell.sub, xs[i] + CELL_PAD, y + CELL_PAD + used, inner(i), subStyle(c));
    });
    grid(y, h);
    l.doc.y = y + h;
  }
  l.gap(8);
}

function cont(b: Bilingual): Bilingual {
  return { vi: `${b.vi} (tiếp theo)`, en: `${b.en} (continued)` };
}

/**
 * A test report's result: as reported, and with its uncertainty "12,3 ± 0,5 (k = 2)" when one was
 * stated (U to two significant digits, decimal comma; never beside "< LOQ" or "KPH": the model refuses it).
 */
function testResultText(r: ResultRow): string {
  const result = r.result ?? '';
  if (r.expandedUncertainty === undefined) return result;
  // No-break spaces keep "148 ± 5,9" and "(k = 2,07)" whole when the cell wraps.
  const k = r.coverageFactor === undefined ? '' : ` (k\u00a0=\u00a0${formatNumber(r.coverageFactor, 'vi')})`;
  return `${result}\u00a0±\u00a0${formatUncertainty(r.expandedUncertainty, 'vi')}${k}`;
}

/**
 * A test report's table (phiếu kết quả thử nghiệm): STT / Chỉ tiêu / Đơn vị / Phương pháp thử /
 * Kết quả / Mức quy định / Đánh giá. Results and limits arrive formatted ("< 0,2", "KPH", "≤ 150");
 * STT carries (*) for an accredited test and (**) for a subcontracted one.
 */
function testReportColumns(model: CertificateModel, table: ResultTable): Column<ResultRow>[] {
  const labels = columnLabels(model.kind);
  const index = new Map(table.rows.map((r, i) => [r, i + 1]));
  const marks = (r: ResultRow) => `${r.accredited ? '*' : ''}${r.subcontracted ? '**' : ''}`;
  const withU = table.rows.some((r) => r.expandedUncertainty !== undefined);
  return [
    {
      head: labels.ordinal,
      weight: 0.45,
      align: 'center',
      cell: (r) => ({ text: `${index.get(r)}${marks(r) ? ` (${marks(r)})` : ''}` }),
    },
    {
      head: labels.label,
      weight: 2,
      align: 'left',
      cell: (r) => ({ text: r.label ?? '', ...(r.labelEn ? { sub: r.labelEn } : {}) }),
    },
    { head: labels.unit, weight: 0.75, align: 'center', cell: (r) => ({ text: r.unit ?? table.unit ?? '' }) },
    { head: labels.method, weight: 1.3, align: 'left', cell: (r) => ({ text: r.method ?? '' }) },
    { head: labels.result, weight: withU ? 1.35 : 0.85, align: 'center', cell: (r) => ({ text: testResultText(r) }) },
    { head: labels.requirement, weight: 0.95, align: 'center', cell: (r) => ({ text: r.requirement ?? '' }) },
    {
      head: labels.decision,
      weight: 0.8,
      align: 'center',
      cell: (r) => {
        if (!r.decision) return { text: '' };
        const w = decisionWords(model.kind, r.decision);
        return { text: w.vi, sub: w.en };
      },
    },
  ];
}

function resultColumns(model: CertificateModel, table: ResultTable): Column<ResultRow>[] {
  if (model.kind === 'test_report' && table.rows.some((r) => r.result !== undefined))
    return testReportColumns(model, table);
  const labels = columnLabels(model.kind);
  const has = (key: keyof ResultRow) => table.rows.some((r) => r[key] !== undefined && r[key] !== '');
  const errorUnit = table.errorUnit ?? table.unit;
  const columns: Column<ResultRow>[] = [];
  const format = cellFormats(table);
  const plain = (key: NumericKey, head: Bilingual, unit: string | undefined, weight = 1): void => {
    if (has(key))
      columns.push({
        head,
        unit,
        weight,
        align: 'center',
        cell: (r) => ({ text: r[key] === undefined || r[key] === '' ? '' : format[key](r[key], r) }),
      });
  };
  if (has('label'))
    columns.push({ head: labels.label, weight: 1.8, align: 'left', cell: (r) => ({ text: r.label ?? '' }) });
  if (has('unit'))
    columns.push({
      head: labels.unit,
      weight: 0.8,
      align: 'center',
      cell: (r) => ({ text: r.unit ?? table.unit ?? '' }),
    });
  plain('nominal', labels.nominal, table.unit);
  plain('reference', labels.reference, table.unit);
  plain('indicated', labels.indicated, table.unit);
  plain('error', labels.error, errorUnit);
  plain('expandedUncertainty', labels.expandedUncertainty, table.uncertaintyUnit ?? errorUnit);
  plain('coverageFactor', labels.coverageFactor, undefined, 0.8);
  plain('mpe', labels.mpe, table.mpeUnit ?? errorUnit);
  if (has('decision')) {
    columns.push({
      head: labels.decision,
      weight: 1.1,
      align: 'center',
      cell: (r) => {
        if (!r.decision) return { text: '' };
        const w = decisionWords(model.kind, r.decision);
        return { text: w.vi, sub: w.en };
      },
    });
  }
  return columns;
}

type NumericKey = 'nominal' | 'reference' | 'indicated' | 'error' | 'expandedUncertainty' | 'coverageFactor' | 'mpe';

/**
 * How each numeric column of a result table is printed (number-format.ts). Cells are shared by
 * both languages and use the Vietnamese decimal comma (the document is Vietnamese; English is the
 * courtesy translation beneath the labels).
 */
function cellFormats(table: ResultTable): Record<NumericKey, (value: string, row: ResultRow) => string> {
  const reading = { resolution: table.resolution, extraDigit: table.meanExtraDigit === true };
  const places = resolutionDecimals(table.resolution);
  return {
    nominal: (v) => formatNumber(v, 'vi'),
    reference: (v) => formatNumber(v, 'vi'),
    indicated: (v) => formatReading(v, 'vi', reading),
    // GUM 7.2.6: the result to U's decimal place; with no U, to what the readings could show.
    error: (v, r) =>
      r.expandedUncertainty ? formatToUncertainty(v, r.expandedUncertainty, 'vi') : formatReading(v, 'vi', reading),
    expandedUncertainty: (v) => formatUncertainty(v, 'vi'),
    coverageFactor: (v) => formatNumber(v, 'vi'),
    mpe: (v) => formatLimit(v, 'vi', places === undefined ? {} : { resolutionDecimals: places }),
  };
}

function drawResults(l: Layout, model: CertificateModel, tables: ResultTable[]): void {
  for (const table of tables) {
    const title = table.title ? { vi: table.title, en: table.titleEn ?? '' } : undefined;
    drawTable(l, title, resultColumns(model, table), table.rows);
    const accredited = table.rows.some((r) => r.accredited);
    const subcontracted = table.rows.some((r) => r.subcontracted);
    if (model.kind === 'test_report' && (accredited || subcontracted)) {
      l.flow(testMarksSentence(accredited, subcontracted), { size: SIZE.small });
      l.gap(6);
    }
    if (table.meanExtraDigit && table.rows.some((r) => r.indicated)) {
      l.flow(meanExtraDigitSentence(), { size: SIZE.small });
      l.gap(6);
    }
  }
}

// ---------------------------------------------------------------- page furniture

/** The logo's box at the top left; the laboratory's lines start to its right. */
const LOGO_SIDE = 44;

/** An image pdfkit has parsed (its types do not know `openImage`, which pdfkit 0.20 has). */
interface OpenedImage {
  width: number;
  height: number;
}

function openImage(doc: Doc, data: Buffer): OpenedImage {
  return (doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(data);
}

/**
 * The running header: laboratory (after the logo, if any) on the left; number, "page x of y" and
 * (after page 1) the title on the right. Page 1 carries the national heading (quốc hiệu, tiêu ngữ)
 * at the top right, as Vietnamese administrative documents do. With `draw` false it only measures,
 * giving where the rule under it falls.
 */
function drawHeader(
  l: Layout,
  model: CertificateModel,
  page: number,
  pages: number,
  draw = true,
  logo?: OpenedImage,
): number {
  const put = (text: string, x: number, y: number, width: number, style: TextStyle) =>
    draw ? l.write(text, x, y, width, style) : l.height(text, width, style);
  const lab = model.laboratory;
  const first = page === 1;
  const rightWidth = 175;
  const logoWidth = logo ? LOGO_SIDE + 6 : 0;
  const leftX = MARGIN.left + logoWidth;
  const leftWidth = CONTENT_WIDTH - rightWidth - 10 - logoWidth;
  let y = 26;
  if (logo && draw) l.doc.image(logo as unknown as Buffer, MARGIN.left, y, { fit: [LOGO_SIDE, LOGO_SIDE] });
  if (lab.parentBody) y += put(lab.parentBody.toUpperCase(), leftX, y, leftWidth, { size: SIZE.small });
  y += put(lab.name.toUpperCase(), leftX, y, leftWidth, { size: 9.5, weight: 'bold' });
  if (lab.nameEn) y += put(lab.nameEn, leftX, y, leftWidth, { size: SIZE.en, color: COLOR.muted });
  y += put(lab.address, leftX, y, leftWidth, { size: SIZE.small });
  const contact = [lab.accreditation, lab.phone && `ĐT/Tel: ${lab.phone}`, lab.email, lab.website]
    .filter(Boolean)
    .join(' · ');
  if (contact) y += put(contact, leftX, y, leftWidth, { size: SIZE.small });
  if (logo) y = Math.max(y, 26 + LOGO_SIDE);

  const x = A4.width - MARGIN.right - rightWidth;
  let ry = 26;
  if (first) {
    ry += put(NATIONAL_HEADING.motto, x, ry, rightWidth, { size: 7.4, weight: 'bold', align: 'center' });
    const sloganY = ry;
    ry += put(NATIONAL_HEADING.slogan, x, ry, rightWidth, { size: 8.5, weight: 'bold', align: 'center' });
    if (draw) {
      // The slogan is underlined by a short rule, as on every Vietnamese administrative document.
      const w = l.use({ size: 8.5, weight: 'bold' }).widthOfString(NATIONAL_HEADING.slogan.normalize('NFC'));
      const cx = x + rightWidth / 2;
      l.doc
        .moveTo(cx - w / 2, sloganY + (ry - sloganY) - 1)
        .lineTo(cx + w / 2, sloganY + (ry - sloganY) - 1)
        .lineWidth(0.6)
        .strokeColor(COLOR.text)
        .stroke();
    }
    ry += 5;
  }
  ry += put(`Số / No.: ${model.number}`, x, ry, rightWidth, { size: 9.5, weight: 'bold', align: 'right' });
  ry += put(fieldLabels(model.kind).page(page, pages), x, ry, rightWidth, { size: SIZE.small, align: 'right' });
  if (!first)
    ry += put(`${TITLES[model.kind].vi} — ${TITLES[model.kind].en}`, x, ry, rightWidth, {
      size: 6.5,
      color: COLOR.muted,
      align: 'right',
    });

  const ruleY = Math.max(y, ry) + 4;
  if (draw)
    l.doc
      .moveTo(MARGIN.left, ruleY)
      .lineTo(A4.width - MARGIN.right, ruleY)
      .lineWidth(0.8)
      .strokeColor(COLOR.text)
      .stroke();
  return ruleY;
}

function drawFooter(l: Layout, model: CertificateModel): void {
  const doc = l.doc;
  const y = A4.height - MARGIN.bottom + 12;
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(A4.width - MARGIN.right, y)
    .lineWidth(0.4)
    .strokeColor(COLOR.rule)
    .stroke();
  // The footer sits below the bottom margin; with the margin in place pdfkit would start a new page.
  const saved = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const r = reproduceInFullSentence(model.kind);
  let fy = y + 3;
  fy += l.write(r.vi, MARGIN.left, fy, CONTENT_WIDTH, { size: 6.5, color: COLOR.muted });
  fy += l.write(r.en, MARGIN.left, fy, CONTENT_WIDTH, { size: 6, color: COLOR.muted });
  l.write(
    `${fieldLabels(model.kind).verifyAt.vi} / ${fieldLabels(model.kind).verifyAt.en}: ${model.verificationUrl}`,
    MARGIN.left,
    fy,
    CONTENT_WIDTH,
    {
      size: 6,
      color: COLOR.muted,
    },
  );
  doc.page.margins.bottom = saved;
}

// ---------------------------------------------------------------- the document

/** Environmental conditions sit on a Vietnamese line first: decimal comma ("30,5 °C"). */
function quantity(q: QuantityValue | undefined): string | undefined {
  return q ? `${formatNumber(q.value, 'vi')} ${q.unit}` : undefined;
}

function drawTitle(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  const top = l.top;
  // QR at the top right of the first page, where an inspector's phone finds it.
  const qrX = A4.width - MARGIN.right - QR_SIDE;
  drawQrCode(l.doc, model.verificationUrl, qrX, top, QR_SIDE);
  l.write(`${labels.scanToVerify.vi}\n${labels.scanToVerify.en}`, qrX - 10, top + QR_SIDE, QR_SIDE + 20, {
    size: 6,
    color: COLOR.muted,
    align: 'center',
  });

  const titleWidth = CONTENT_WIDTH - 2 * (QR_SIDE + 8);
  const titleX = MARGIN.left + QR_SIDE + 8;
  let y = top + 14;
  y += l.write(TITLES[model.kind].vi, titleX, y, titleWidth, { size: SIZE.title, weight: 'bold', align: 'center' });
  y += l.write(TITLES[model.kind].en, titleX, y, titleWidth, {
    size: SIZE.titleEn,
    color: COLOR.muted,
    align: 'center',
  });
  y += 3;
  y += l.write(`${labels.number.vi} / ${labels.number.en}: ${model.number}`, titleX, y, titleWidth, {
    size: 10,
    weight: 'bold',
    align: 'center',
  });
  l.doc.y = Math.max(y, top + QR_SIDE + 20) + 6;

  if (model.amendment) {
    const text = amendmentSentence(model);
    const pad = 6;
    const inner = CONTENT_WIDTH - 2 * pad;
    const head = { vi: labels.amendment.vi, en: labels.amendment.en };
    const h = l.biHeight(head, inner, { size: SIZE.body, weight: 'bold' }) + l.biHeight(text, inner) + 2 * pad;
    const by = l.doc.y;
    l.doc.rect(MARGIN.left, by, CONTENT_WIDTH, h).lineWidth(1).fillAndStroke(COLOR.box, COLOR.text);
    let iy = by + pad;
    iy += l.bi(head, MARGIN.left + pad, iy, inner, { size: SIZE.body, weight: 'bold' });
    l.bi(text, MARGIN.left + pad, iy, inner);
    l.doc.y = by + h + 8;
  }
}

function drawIdentification(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  const { item, customer } = model;
  const env = model.environment;
  const conditions: string[] = [];
  const add = (label: Bilingual, q: QuantityValue | undefined) => {
    if (q) conditions.push(`${label.vi} / ${label.en}: ${quantity(q)}`);
  };
  add(labels.temperature, env?.temperature);
  add(labels.humidity, env?.humidity);
  add(labels.pressure, env?.pressure);
  for (const o of env?.other ?? []) add({ vi: o.label, en: o.labelEn ?? '' }, o.value);
  const verificationType = model.verification && VERIFICATION_TYPES[model.verification.type];
  l.fields([
    {
      label: labels.item,
      value: item.typeNameEn ? [item.typeName, item.typeNameEn] : item.typeName,
      style: { weight: 'bold' },
    },
    { label: labels.model, value: item.model },
    { label: labels.serial, value: item.serial, style: { weight: 'bold' } },
    { label: labels.manufacturer, value: item.manufacturer },
    { label: labels.range, value: item.range },
    { label: labels.resolution, value: item.resolution && formatNumber(item.resolution, 'vi') },
    { label: labels.accuracyClass, value: item.accuracyClass },
    { label: labels.otherIdentification, value: item.otherIdentification },
    { label: labels.customer, value: [customer.name, customer.address, customer.contact ?? ''] },
    { label: labels.owner, value: item.owner },
    { label: labels.placeOfUse, value: item.placeOfUse },
    {
      label: labels.method,
      value: [model.method.code + (model.method.version ? ` (${model.method.version})` : ''), model.method.title ?? ''],
    },
    { label: labels.verificationType, value: verificationType && `${verificationType.vi} / ${verificationType.en}` },
    { label: labels.receiptDate, value: model.receiptDate && formatDate(model.receiptDate) },
    { label: labels.measurementDates, value: model.measurementDates.map(formatDate).join(', ') },
    { label: labels.place, value: model.placeOfMeasurement },
    { label: labels.environment, value: conditions },
    ...testReportFields(model),
  ]);
}

/** A test report states how the sample was taken (or that the customer sent it) and any deviation. */
function testReportFields(model: CertificateModel): Field[] {
  if (model.kind !== 'test_report') return [];
  const labels = fieldLabels(model.kind);
  return [
    {
      label: labels.sampling,
      value: model.sampling ?? `${labels.sentByCustomer.vi} / ${labels.sentByCustomer.en}`,
    },
    { label: labels.deviations, value: model.deviations ?? `${labels.noDeviations.vi} / ${labels.noDeviations.en}` },
  ];
}

function drawStandards(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  if (model.standards.length > 0) {
    l.heading(labels.standards, KEEP_WITH_TABLE);
    drawTable(
      l,
      undefined,
      [
        { head: { vi: 'Mã', en: 'Code' }, weight: 0.9, align: 'left', cell: (s) => ({ text: s.code }) },
        { head: { vi: 'Tên chuẩn', en: 'Standard' }, weight: 2.2, align: 'left', cell: (s) => ({ text: s.name }) },
        {
          head: { vi: 'Số giấy chứng nhận', en: 'Certificate No.' },
          weight: 1.3,
          align: 'center',
          cell: (s) => ({ text: s.certificateNumber }),
        },
        {
          head: { vi: 'Nơi hiệu chuẩn', en: 'Calibrated by' },
          weight: 1.8,
          align: 'left',
          cell: (s) => ({ text: s.issuedBy }),
        },
        {
          head: { vi: 'Hạn hiệu chuẩn', en: 'Due date' },
          weight: 1,
          align: 'center',
          cell: (s) => ({ text: formatDate(s.dueDate) }),
        },
      ],
      model.standards,
    );
  }
  if (model.standards.length > 0 || model.traceabilityStatement)
    l.statement(labels.traceability, traceabilitySentence(model));
}

function drawVerdict(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  const c = model.conformity;
  if (!c) return;
  if (isVerificationKind(model.kind)) {
    const v = verdict(c.decision);
    const sentence = conformitySentence(model);
    const pad = 7;
    const inner = CONTENT_WIDTH - 2 * pad;
    const lines: [Bilingual, string][] = [];
    if (model.verification?.validUntil && c.decision === 'pass')
      lines.push([labels.validUntil, formatDate(model.verification.validUntil)]);
    if (model.verification?.stampNumber) lines.push([labels.stampNumber, model.verification.stampNumber]);
    const linesH = lines.reduce((s, [label]) => s + l.biHeight(label, 160, { size: SIZE.body }) + 2, 0);
    const h = 2 * pad + 24 + l.biHeight(sentence, inner) + 4 + linesH;
    l.ensure(h + 8);
    l.gap(4);
    const y = l.doc.y;
    l.doc.rect(MARGIN.left, y, CONTENT_WIDTH, h).lineWidth(1.2).strokeColor(COLOR.text).stroke();
    l.write(`${labels.conclusion.vi} / ${labels.conclusion.en}:`, MARGIN.left + pad, y + pad + 5, 170, {
      size: SIZE.body,
      weight: 'bold',
    });
    l.write(`${v.vi} / ${v.en}`, MARGIN.left + pad + 170, y + pad, inner - 170, { size: 15, weight: 'bold' });
    let iy = y + pad + 24;
    iy += l.bi(sentence, MARGIN.left + pad, iy, inner) + 4;
    for (const [label, value] of lines) {
      const lh = l.bi(label, MARGIN.left + pad, iy, 160, { size: SIZE.body });
      l.write(value, MARGIN.left + pad + 170, iy, inner - 170, { size: 11, weight: 'bold' });
      iy += lh + 2;
    }
    l.doc.y = y + h + 8;
    return;
  }
  l.statement(labels.conformity, conformitySentence(model));
}

/**
 * A notice of failed verification: the failing points (with their error and MPE) before the full
 * results, how many of all points failed, and what the fail means for the instrument.
 */
function drawFailureNotice(l: Layout, model: CertificateModel): void {
  const failing = failingRows(model);
  const total = model.results.reduce((n, t) => n + t.rows.length, 0);
  l.heading(NOTICE_LABELS.failingPoints, KEEP_WITH_TABLE);
  drawResults(
    l,
    model,
    model.results
      .map((table) => ({ ...table, rows: failing.filter((f) => f.table === table).map((f) => f.row) }))
      .filter((table) => table.rows.length > 0),
  );
  l.flow(failingCountSentence(failing.length, total), { weight: 'bold' });
  l.gap(5);
  l.statement(NOTICE_LABELS.consequence, notForUseSentence());
}

function drawSignatures(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  const half = CONTENT_WIDTH / 2;
  const s = model.authorisedSignatory;
  const rightX = MARGIN.left + half;
  const title: Bilingual = {
    vi: (s.title ?? labels.signatory.vi).toUpperCase(),
    en: s.titleEn ?? (s.title ? '' : labels.signatory.en),
  };
  const issued = `${labels.issueDate.vi} / ${labels.issueDate.en}: ${formatDate(model.issueDate)}`;
  const rightH =
    l.height(issued, half) +
    l.biHeight(title, half, { weight: 'bold' }) +
    l.biHeight(labels.digitallySigned, half) +
    22 +
    l.height(s.name, half, { size: 10, weight: 'bold' });
  l.ensure(rightH + 16);
  l.gap(10);
  const y = l.doc.y;
  let ry = y;
  ry += l.write(issued, rightX, ry, half, { align: 'center' }) + 4;
  ry += l.bi(title, rightX, ry, half, { weight: 'bold', align: 'center' });
  ry += l.bi(labels.digitallySigned, rightX, ry, half, { align: 'center', color: COLOR.muted }) + 18;
  ry += l.write(s.name, rightX, ry, half, { size: 10, weight: 'bold', align: 'center' });
  let ly = y + l.height(issued, half) + 4;
  if (model.technician) {
    ly += l.bi(labels.technician, MARGIN.left, ly, half, { weight: 'bold', align: 'center' });
    ly += 18 + l.biHeight(labels.digitallySigned, half);
    ly += l.write(model.technician.name, MARGIN.left, ly, half, { size: 10, weight: 'bold', align: 'center' });
  }
  l.doc.y = Math.max(ry, ly) + 6;
}

function drawDocument(l: Layout, model: CertificateModel): void {
  const labels = fieldLabels(model.kind);
  drawTitle(l, model);
  drawIdentification(l, model);
  if (model.kind === 'verification_failure') {
    // What the owner must read first: the verdict and the failing points, on page 1.
    drawVerdict(l, model);
    drawFailureNotice(l, model);
    drawStandards(l, model);
  } else {
    drawStandards(l, model);
    if (model.kind === 'verification') drawVerdict(l, model);
  }

  l.heading(labels.results, KEEP_WITH_TABLE);
  if (model.asFound && model.asFound.length > 0) {
    l.ensure(KEEP_WITH_TABLE + 20);
    l.flow(labels.asFound, { weight: 'bold' });
    l.gap(3);
    drawResults(l, model, model.asFound);
    l.ensure(KEEP_WITH_TABLE + 20);
    l.flow(labels.asLeft, { weight: 'bold' });
    l.gap(3);
  }
  drawResults(l, model, model.results);
  if (model.uncertainty) l.statement(labels.uncertainty, uncertaintySentence(model.uncertainty));
  if (model.decisionRule) l.statement(labels.decisionRule, decisionRuleSentence(model.decisionRule, model.kind));
  if (model.conformity && !isVerificationKind(model.kind)) drawVerdict(l, model);
  if (model.remarks && model.remarks.length > 0) {
    l.statement(labels.remarks, { vi: model.remarks.map((r) => `– ${r}`).join('\n'), en: '' });
  }
  l.gap(4);
  l.flow(onlyThisItemSentence(model.kind), { weight: 'bold' });
  drawSignatures(l, model);
}

/**
 * Renders a certificate (giấy chứng nhận kiểm định / hiệu chuẩn, phiếu kết quả thử nghiệm) to an
 * unsigned A4 PDF carrying every element of ISO/IEC 17025 7.8. Sign it with signPdf afterwards.
 */
export async function renderCertificate(model: CertificateModel, options: RenderOptions = {}): Promise<Buffer> {
  validateCertificateModel(model);
  const fonts = certificateFonts();
  const title = TITLES[model.kind];
  const doc = a4Document(MARGIN, {
    Title: nfc(`${title.vi} số ${model.number} — ${title.en} No. ${model.number}`),
    Author: nfc(model.laboratory.name),
    Subject: nfc(`${model.item.typeName} — ${model.item.serial}`),
    Keywords: nfc(model.number),
    CreationDate: options.createdAt ?? new Date(),
  });
  return pdfBytes(doc, () => {
    const l = new Layout(doc, fonts);
    // pdfkit embeds an image once per openImage: the logo is one XObject however many pages use it.
    const logo = options.logo ? openImage(doc, options.logo) : undefined;
    // Every page's top margin sits under the running header, however many lines the laboratory
    // takes; page 1's header (with the national heading) is the taller one.
    const topOf = (page: number) => Math.max(MARGIN.top, drawHeader(l, model, page, 2, false, logo) + 14);
    doc.options.margins = { ...MARGIN, top: topOf(2) };
    doc.page.margins.top = topOf(1);
    doc.y = doc.page.margins.top;
    drawDocument(l, model);
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      drawHeader(l, model, i - start + 1, count, true, logo);
      drawFooter(l, model);
    }
  });
}
