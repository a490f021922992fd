import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, type FontkitFont } from 'fontkit';

/**
 * DejaVu Sans subset to Latin + Vietnamese + metrology symbols (see ../fonts/README.md).
 * The 14 standard PDF fonts cannot show Vietnamese, so every document embeds these.
 */
export const FONT_FILES = { regular: 'DejaVuSans-subset.ttf', bold: 'DejaVuSans-Bold-subset.ttf' } as const;

export interface CertificateFonts {
  /** The raw TTF files, read once. */
  readonly files: { readonly regular: Buffer; readonly bold: Buffer };
  /** Parsed once per process and shared by every document: parsing per document dominates render time. */
  readonly regular: FontkitFont;
  readonly bold: FontkitFont;
}

/** The fonts directory, from the sources (libs/documents/src) or the build (dist/libs/documents/src). */
export function fontDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'fonts'), join(here, '..', '..', '..', '..', 'libs', 'documents', 'fonts')];
  const found = candidates.find((dir) => existsSync(join(dir, FONT_FILES.regular)));
  if (!found) throw new Error(`Certificate fonts not found; looked in ${candidates.join(', ')}`);
  return found;
}

let cached: CertificateFonts | undefined;

/**
 * fontkit caches glyph objects per font, with the code points of whoever asked first. Embedding a
 * composite glyph (Ở = Ơ + hook) fetches its components with no code points; on a font shared
 * between documents, a later document printing "Ơ" would then get that cached glyph, and pdfkit would
 * write no ToUnicode entry for it: the letter shows but cannot be searched or copied. Asking for
 * every mapped character once, up front, caches each glyph with its own code point.
 */
function withCodePoints(font: FontkitFont): FontkitFont {
  font.glyphsForString(String.fromCodePoint(...font.characterSet));
  return font;
}

/** Reads and parses the fonts on first use; later calls return the same objects. */
export function certificateFonts(): CertificateFonts {
  if (!cached) {
    const dir = fontDirectory();
    const files = {
      regular: readFileSync(join(dir, FONT_FILES.regular)),
      bold: readFileSync(join(dir, FONT_FILES.bold)),
    };
    cached = { files, regular: withCodePoints(create(files.regular)), bold: withCodePoints(create(files.bold)) };
  }
  return cached;
}
