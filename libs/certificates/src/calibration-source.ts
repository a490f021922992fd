import { Injectable } from '@nestjs/common';
import { CalibrationResultReader, toCertificateDraft } from '#libs/calibration';
import { ConflictError, NotFoundError } from '#libs/core';
import { CertificateSourceError, type CertificateDraft, type CertificateSource } from './certificate-source.js';

/**
 * The certificate source of this system: approved result revisions of the calibration library
 * (calibration and verification), its refusals mapped to CertificateSourceError (not retried).
 * The validity date is left to issuing, which takes it from the instrument's next due date in the
 * same transaction (CalibrationCertificateSource would read the instrument once more for it).
 */
@Injectable()
export class CalibrationSource implements CertificateSource {
  constructor(private readonly reader: CalibrationResultReader) {}

  async load(resultRevisionId: string): Promise<CertificateDraft> {
    try {
      return toCertificateDraft(await this.reader.forCertificate(resultRevisionId), null);
    } catch (e) {
      if (e instanceof NotFoundError) throw new CertificateSourceError(resultRevisionId, 'not_found', e.message);
      if (e instanceof ConflictError && e.code === 'result.revision_not_approved') {
        throw new CertificateSourceError(resultRevisionId, 'not_approved', e.message);
      }
      throw e;
    }
  }
}
