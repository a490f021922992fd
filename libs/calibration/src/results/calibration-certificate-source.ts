import { Injectable } from '@nestjs/common';
import { CertificateSourceError, type CertificateDraft, type CertificateSource } from '#libs/certificates';
import { ConflictError, NotFoundError } from '#libs/core';
import { CalibrationResultReader } from './calibration-result-reader.js';
import { toCertificateDraft } from './certificate-draft.js';

/**
 * The calibration library's adapter of the certificates library's port: approved result revisions
 * (calibration and verification) as certificate drafts, refusals as CertificateSourceError (not
 * retried). The validity date is left to issuing, which takes it from the instrument's next due date
 * in the same transaction that records the service.
 */
@Injectable()
export class CalibrationCertificateSource implements CertificateSource {
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
