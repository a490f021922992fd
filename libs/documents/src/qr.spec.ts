import QRCode from 'qrcode';
import { drawQrCode, qrSymbol } from './qr.js';

const URL = 'https://lims.tdc.example.vn/verify/HC-2026%2F000123';

describe('QR code as vectors', () => {
  it('merges the dark modules into runs that reproduce the symbol exactly', () => {
    const { modules } = QRCode.create(URL, { errorCorrectionLevel: 'M' });
    const { size, runs } = qrSymbol(URL);
    expect(size).toBe(modules.size);
    const painted = new Uint8Array(size * size);
    for (const [row, col, len] of runs) for (let c = col; c < col + len; c++) painted[row * size + c] += 1;
    expect([...painted]).toEqual([...modules.data]);
    // Runs, not one rectangle per module: far fewer drawing operators.
    expect(runs.length).toBeLessThan(0.7 * modules.data.reduce((s: number, v: number) => s + v, 0));
  });

  it('draws a white quiet zone and one filled path of rectangles inside the given square', () => {
    const ops: string[] = [];
    const rects: number[][] = [];
    const canvas = {
      save: () => ops.push('save'),
      restore: () => ops.push('restore'),
      rect(x: number, y: number, w: number, h: number) {
        rects.push([x, y, w, h]);
        return canvas;
      },
      fill: (color?: string) => ops.push(`fill ${color}`),
    };
    const { runs, size } = drawQrCode(canvas, URL, 100, 200, 80);
    expect(ops).toEqual(['save', 'fill #ffffff', 'fill #000000', 'restore']);
    expect(rects[0]).toEqual([100, 200, 80, 80]);
    expect(rects).toHaveLength(runs.length + 1);
    const unit = 80 / (size + 8);
    for (const [x, y, w, h] of rects.slice(1)) {
      expect(x).toBeGreaterThanOrEqual(100 + 4 * unit - 1e-9);
      expect(y).toBeGreaterThanOrEqual(200 + 4 * unit - 1e-9);
      expect(x + w).toBeLessThanOrEqual(100 + 80 - 4 * unit + unit * 0.05);
      expect(y + h).toBeLessThanOrEqual(200 + 80 - 4 * unit + unit * 0.05);
    }
  });
});
