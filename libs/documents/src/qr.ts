import QRCode from 'qrcode';

/** A QR symbol's dark modules as horizontal runs, in module units: [row, firstColumn, length]. */
export type QrRuns = readonly (readonly [number, number, number])[];

export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  size: number;
  runs: QrRuns;
}

/** Encodes `text` (error correction M: survives a scuffed print) and merges dark modules into runs. */
export function qrSymbol(text: string): QrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = modules;
  const runs: [number, number, number][] = [];
  for (let row = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col <= size; col++) {
      const dark = col < size && data[row * size + col] === 1;
      if (dark && start < 0) start = col;
      else if (!dark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  }
  return { size, runs };
}

/** The subset of pdfkit's drawing API the QR needs (keeps this testable without a document). */
interface VectorCanvas {
  save(): unknown;
  restore(): unknown;
  rect(x: number, y: number, w: number, h: number): VectorCanvas;
  fill(color?: string): unknown;
}

/**
 * Draws the symbol as vector rectangles — no PNG to rasterise and decode, sharp at any zoom.
 * `side` is the whole square including the 4-module quiet zone the standard requires.
 */
export function drawQrCode(doc: VectorCanvas, text: string, x: number, y: number, side: number): QrSymbol {
  const symbol = qrSymbol(text);
  const quiet = 4;
  const unit = side / (symbol.size + 2 * quiet);
  doc.save();
  doc.rect(x, y, side, side).fill('#ffffff');
  // A hair of overlap so viewers' anti-aliasing leaves no seams between neighbouring runs.
  const bleed = unit * 0.02;
  for (const [row, col, len] of symbol.runs) {
    doc.rect(x + (quiet + col) * unit, y + (quiet + row) * unit, len * unit + bleed, unit + bleed);
  }
  doc.fill('#000000');
  doc.restore();
  return symbol;
}
