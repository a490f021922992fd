import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import {
  InvalidInputError,
  NotFoundError,
  storageKeyFor,
  UnitOfWork,
  type PdfFileStore,
  type Principal,
} from '#libs/core';
import type { StandardCertificateFileView } from './dto/standard.dto.js';
import { StandardRepository } from './standard.repository.js';

/** The standards' own calibration certificates (PDFs from VMI or another laboratory): DATA_DIR/standard-certificates. */
export const STANDARD_CERTIFICATE_FILES = Symbol('STANDARD_CERTIFICATE_FILES');

/** The largest PDF accepted: a scanned certificate of a few pages. */
export const MAX_STANDARD_CERTIFICATE_BYTES = 10 * 1024 * 1024;

export interface UploadedPdf {
  buffer: Buffer;
  originalname?: string;
}

/**
 * Attaches to a calibration record of a standard the certificate it was recorded from, as the PDF
 * the calibrating laboratory issued: stored by SHA-256 before the row points at it, so a row never
 * names a file that is not there. A new upload replaces the attachment (audited with both digests);
 * the old file stays in the content-addressed store.
 */
@Injectable()
export class StandardCertificateFiles {
  constructor(
    private readonly repository: StandardRepository,
    @Inject(STANDARD_CERTIFICATE_FILES) private readonly files: PdfFileStore,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async attach(
    standardId: string,
    calibrationId: string,
    file: UploadedPdf | undefined,
    principal: Principal,
  ): Promise<StandardCertificateFileView> {
    const bytes = checkedPdf(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const fileName = safeFileName(file?.originalname);
    await this.findCalibration(standardId, calibrationId);
    await this.files.put(storageKeyFor(sha256), bytes);
    await this.uow.run(async (tx) => {
      const before = await this.repository.attachCertificateFile(tx, calibrationId, {
        sha256,
        size: bytes.length,
        fileName,
      });
      await this.audit.record(tx, {
        actor: principal,
        entity: 'standard_calibration',
        entityId: calibrationId,
        action: 'attach_certificate_file',
        before: before ? { sha256: before } : null,
        after: { sha256, byteSize: bytes.length, fileName },
      });
    });
    return certificateFileView(standardId, calibrationId, { sha256, size: bytes.length, fileName });
  }

  async download(standardId: string, calibrationId: string): Promise<{ bytes: Buffer; fileName: string }> {
    const c = await this.findCalibration(standardId, calibrationId);
    if (!c.certificateFileSha256) throw new NotFoundError('standard_certificate_file', calibrationId);
    const bytes = await this.files.get(storageKeyFor(c.certificateFileSha256));
    return { bytes, fileName: c.certificateFileName ?? `${c.certificateNumber}.pdf` };
  }

  private async findCalibration(standardId: string, calibrationId: string) {
    const c = await this.repository.calibrationOf(standardId, calibrationId);
    if (!c) throw new NotFoundError('standard_calibration', calibrationId);
    return c;
  }
}

/** A PDF (by its signature, not by what the client calls it), not empty. */
function checkedPdf(file: UploadedPdf | undefined): Buffer {
  if (!file?.buffer?.length)
    throw new InvalidInputError([{ field: 'file', message: 'send the PDF as the multipart field "file"' }]);
  if (!file.buffer.subarray(0, 1024).includes('%PDF-'))
    throw new InvalidInputError([{ field: 'file', message: 'the file is not a PDF' }]);
  return file.buffer;
}

/**
 * The name as uploaded, without a path and control characters, at most 200 characters. Multer hands
 * the multipart filename over as Latin-1; clients send UTF-8 ("GCN số 07.pdf"), so it is read again
 * as UTF-8 when that is what the bytes are.
 */
function safeFileName(name: string | undefined): string | null {
  const raw = name ?? '';
  const utf8 = /^[\u0000-\u00ff]*$/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : '\uFFFD';
  const base = (utf8.includes('\uFFFD') ? raw : utf8)
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base ? base.slice(0, 200) : null;
}

export function certificateFileView(
  standardId: string,
  calibrationId: string,
  f: { sha256: string; size: number; fileName: string | null },
): StandardCertificateFileView {
  return {
    sha256: f.sha256,
    byteSize: f.size,
    fileName: f.fileName,
    downloadUrl: `/standards/${standardId}/calibrations/${calibrationId}/certificate`,
  };
}
