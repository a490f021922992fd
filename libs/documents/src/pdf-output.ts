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
