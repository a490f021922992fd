import PDFDocument from 'pdfkit';

/**
 * An A4 document (PDF 1.7, Vietnamese, pages buffered so headers and footers can be drawn last)
 * with the given margins and metadata; Creator is TĐC LIMS.
 */
export function a4Document(
  margins: { top: number; bottom: number; left: number; right: number },
  info: PDFKit.DocumentInfo,
): PDFKit.PDFDocument {
  return new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'vi-VN',
    displayTitle: true,
    // No default font: pdfkit would otherwise load Helvetica per document, and a default font object
    // would defeat its font cache (a same-named font found first is never cached under our name).
    font: null as unknown as string,
    info: { Creator: 'TĐC LIMS', ...info },
  });
}

/**
 * Runs `draw` on a pdfkit document, ends it and resolves with its bytes. A drawing error is the one
 * reported (the document is still ended, so its stream does not stay open).
 */
export function pdfBytes(doc: PDFKit.PDFDocument, draw: () => void): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw();
    doc.end();
  } catch (error) {
    done.catch(() => undefined);
    doc.end();
    throw error;
  }
  return done;
}
