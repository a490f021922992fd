// fontkit (pdfkit's font parser) ships no types; this is the little the documents lib uses.
declare module 'fontkit' {
  export interface FontkitFont {
    readonly postscriptName: string;
    readonly familyName: string;
    readonly numGlyphs: number;
    readonly characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphsForString(text: string): { id: number; codePoints: number[] }[];
    /** Present on every font; pdfkit recognises a parsed font by it. */
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
