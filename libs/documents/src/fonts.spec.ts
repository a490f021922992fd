import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { certificateFonts, fontDirectory, FONT_FILES } from './fonts.js';
import { ALL_VIETNAMESE_LETTERS } from './testing/certificate-models.js';
import { flat, hasTool, pdffonts, pdfPages, skipping } from './testing/pdf-tools.js';

/** Symbols certificates print besides letters and digits. */
const SYMBOLS = '±µ°²³Ω×·≤≥–—…“”‘’€₫÷−√≈%‰μΔ';

function render(text: string): Promise<Buffer> {
  const fonts = certificateFonts();
  const doc = new PDFDocument({ size: 'A4', font: null as unknown as string });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  // The shared parsed fonts, as the renderer uses them.
  doc.registerFont('regular', fonts.regular as unknown as Buffer);
  doc.registerFont('bold', fonts.bold as unknown as Buffer);
  doc.font('regular').fontSize(11).text(text, { width: 480 });
  doc.font('bold').text(text, { width: 480 });
  doc.end();
  return done;
}

describe('certificate fonts', () => {
  it('cover every Vietnamese letter, with every tone mark, in both cases, in regular and bold', () => {
    expect([...ALL_VIETNAMESE_LETTERS]).toHaveLength(2 * (12 * 6 + 1));
    const { regular, bold } = certificateFonts();
    for (const font of [regular, bold]) {
      const missing = [...(ALL_VIETNAMESE_LETTERS + SYMBOLS)].filter(
        (ch) => !font.hasGlyphForCodePoint(ch.codePointAt(0)!),
      );
      expect(missing).toEqual([]);
    }
  });

  it('are subsets, far smaller than the full fonts they come from', () => {
    const { regular } = certificateFonts();
    for (const file of Object.values(FONT_FILES))
      expect(statSync(join(fontDirectory(), file)).size).toBeLessThan(100_000);
    expect(regular.numGlyphs).toBeLessThan(1000);
    expect(regular.hasGlyphForCodePoint(0x4e00)).toBe(false); // no CJK: this is not the full font
  });

  it('are read and parsed once per process', () => {
    const first = certificateFonts();
    expect(certificateFonts()).toBe(first);
    expect(certificateFonts().regular).toBe(first.regular);
    expect(first.files.regular.equals(readFileSync(join(fontDirectory(), FONT_FILES.regular)))).toBe(true);
  });

  it('ship with their licence and the recipe that made them', () => {
    const dir = fontDirectory();
    expect(readFileSync(join(dir, 'LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream Vera Fonts Copyright');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('--unicodes=');
  });

  it('keep letters searchable when an earlier document embedded them only as parts of other letters', async () => {
    // Ở and ở are drawn from Ơ and ơ plus a hook: embedding them must not leave Ơ without its code point.
    await render('SỞ Sở Ợ ợ Ứ ứ');
    const pdf = await render('TS-2291-Ơ ơ Ư ư');
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the letters back');
    expect(flat(pdfPages(pdf).join(' '))).toContain('TS-2291-Ơ ơ Ư ư');
  });

  it('print every Vietnamese letter so that it reads back intact, embedded as subsets', async () => {
    const pdf = await render(`${ALL_VIETNAMESE_LETTERS} ${SYMBOLS}`);
    if (!hasTool('pdftotext')) return skipping('pdftotext', 'reading the letters back');
    const text = flat(pdfPages(pdf).join(' '));
    expect(text).toContain(ALL_VIETNAMESE_LETTERS.slice(0, 20));
    expect(text.replace(/ /g, '')).toContain(`${ALL_VIETNAMESE_LETTERS}${SYMBOLS}`.replace(/ /g, ''));
    const fonts = pdffonts(pdf);
    expect(fonts).toMatch(/\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toMatch(/Helvetica|Times|Courier/);
  });
});
