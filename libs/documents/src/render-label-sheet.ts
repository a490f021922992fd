import PDFDocument from 'pdfkit';
import { certificateFonts } from './fonts.js';
import { pdfBytes } from './pdf-output.js';
import { drawQrCode } from './qr.js';

/** One label: its code (printed large and encoded in the QR), a short title and up to two lines. */
export interface LabelSheetEntry {
  code: string;
  title: string;
  lines?: readonly string[];
}

/** Where the labels sit on an A4 sheet, in millimetres (a die-cut sheet's data sheet gives them). */
export interface LabelSheetLayout {
  columns: number;
  rows: number;
  labelWidth: number;
  labelHeight: number;
  /** Distance from the sheet's top-left corner to the first label's. */
  marginTop: number;
  marginLeft: number;
  /** Distance from one label's left (top) edge to the next one's. */
  pitchX: number;
  pitchY: number;
}

/** 21 labels of 63,5 × 38,1 mm (3 × 7), the common A4 address-label sheet (e.g. Avery L7160 / Tanex 21). */
export const A4_21_LABELS: LabelSheetLayout = {
  columns: 3,
  rows: 7,
  labelWidth: 63.5,
  labelHeight: 38.1,
  marginTop: 15.15,
  marginLeft: 7.25,
  pitchX: 66,
  pitchY: 38.1,
};

export interface LabelSheetOptions {
  layout?: LabelSheetLayout;
  /** The PDF's title (document information). */
  title?: string;
  /** A thin grey frame round each label, to cut plain paper by (default true). */
  outline?: boolean;
  createdAt?: Date;
}

const MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 } as const;
const FONT = { regular: 'label-regular', bold: 'label-bold' } as const;
const PAD = 6;
const CODE_SIZE = { max: 15, min: 7 } as const;
const LINE_SIZE = { max: 7, min: 5 } as const;

type Doc = PDFKit.PDFDocument;
const nfc = (s: string): string => s.normalize('NFC');

/** The largest size (max → min, half points) at which the text fits the width on one line. */
function fitSize(doc: Doc, font: string, text: string, width: number, range: { max: number; min: number }): number {
  doc.font(font);
  for (let size = range.max; size > range.min; size -= 0.5) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return range.min;
}

/** The text, cut with an ellipsis when it is wider than `width` in the current font and size. */
function truncated(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let end = text.length;
  while (end > 1 && doc.widthOfString(`${text.slice(0, end)}…`) > width) end--;
  return `${text.slice(0, end)}…`;
}

/** One label with its top-left corner at (x, y), in points: the code across the top, QR left, text right. */
function drawLabel(doc: Doc, entry: LabelSheetEntry, x: number, y: number, w: number, h: number, outline: boolean) {
  if (outline) doc.save().lineWidth(0.3).strokeColor('#bbbbbb').rect(x, y, w, h).stroke().restore();
  const code = nfc(entry.code);
  const inner = w - 2 * PAD;
  const size = fitSize(doc, FONT.bold, code, inner, CODE_SIZE);
  doc.font(FONT.bold).fontSize(size).fillColor('#000000');
  doc.text(code, x + PAD, y + PAD, { width: inner, lineBreak: false });
  const top = y + PAD + size * 1.2 + 2;
  const qr = Math.max(0, Math.min(h - (top - y) - PAD / 2, inner * 0.4));
  drawQrCode(doc, entry.code, x + PAD - 4, top - 2, qr);
  const textX = x + PAD + qr;
  const textW = x + w - PAD - textX;
  doc.font(FONT.bold).fontSize(7.5);
  doc.text(nfc(entry.title), textX, top, { width: textW, height: 19, ellipsis: true });
  // A line (a serial number) is never wrapped, so it reads whole: smaller type first, then an ellipsis.
  let lineY = top + 22;
  for (const line of (entry.lines ?? []).slice(0, 2).map(nfc)) {
    doc.fontSize(fitSize(doc, FONT.regular, line, textW, LINE_SIZE));
    doc.text(truncated(doc, line, textW), textX, lineY, { lineBreak: false });
    lineY += 10;
  }
}

function labelSheetDocument(options: LabelSheetOptions): Doc {
  return new PDFDocument({
    size: 'A4',
    margin: 0,
    pdfVersion: '1.7',
    lang: 'vi-VN',
    displayTitle: true,
    autoFirstPage: false,
    font: null as unknown as string, // no Helvetica: the sheet uses the certificates' Vietnamese fonts
    info: {
      Title: nfc(options.title ?? 'Tem nhãn — Labels'),
      Creator: 'TĐC LIMS',
      CreationDate: options.createdAt ?? new Date(),
    },
  });
}

/**
 * A4 sheets of labels (tem nhãn), filled left to right, top to bottom, a new page when one is full:
 * each label carries its code in large type, the code as a QR (vector, error correction M) and a short
 * title with up to two lines. Generic: request items' labels, sample labels, anything with a code.
 */
export async function renderLabelSheet(
  labels: readonly LabelSheetEntry[],
  options: LabelSheetOptions = {},
): Promise<Buffer> {
  if (labels.length === 0) throw new Error('renderLabelSheet: no labels');
  const layout = options.layout ?? A4_21_LABELS;
  const perPage = layout.columns * layout.rows;
  const fonts = certificateFonts();
  const doc = labelSheetDocument(options);
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  return pdfBytes(doc, () => {
    labels.forEach((entry, i) => {
      const slot = i % perPage;
      if (slot === 0) doc.addPage({ size: [A4.width, A4.height], margin: 0 });
      const col = slot % layout.columns;
      const row = Math.floor(slot / layout.columns);
      const x = (layout.marginLeft + col * layout.pitchX) * MM;
      const y = (layout.marginTop + row * layout.pitchY) * MM;
      drawLabel(doc, entry, x, y, layout.labelWidth * MM, layout.labelHeight * MM, options.outline ?? true);
    });
  });
}
