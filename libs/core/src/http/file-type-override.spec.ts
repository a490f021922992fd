import { FileTypeValidator } from '@nestjs/common';

/**
 * package.json overrides @nestjs/common's file-type 22 (Node ≥ 22) with 21 (Node ≥ 20, same
 * `fileTypeFromBuffer`). Nest's FileTypeValidator, the one user of it, must still read magic numbers.
 */
describe('file-type override (FileTypeValidator on file-type 21)', () => {
  const validator = new FileTypeValidator({ fileType: 'application/pdf' });
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

  it('accepts a PDF by its content', async () => {
    await expect(validator.isValid({ mimetype: 'application/pdf', size: pdf.length, buffer: pdf })).resolves.toBe(true);
  });

  it('refuses a PNG sent as application/pdf', async () => {
    await expect(validator.isValid({ mimetype: 'application/pdf', size: png.length, buffer: png })).resolves.toBe(
      false,
    );
  });
});
