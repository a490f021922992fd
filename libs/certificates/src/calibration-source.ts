import { Injectable } from '@nestjs/common';
import { CalibrationCertificateSource, CertificateDraftError } from '#libs/calibration';
import { CertificateSourceError, type CertificateDraft, type CertificateSource } from './certificate-source.js';

/**
 * The certificate source of this system: approved result revisions of the calibration library
 * (calibration and verification), its refusals mapped to CertificateSourceError (not retried).
 */
@Injectable()
export class CalibrationSource implements CertificateSource {
  constructor(private readonly calibration: CalibrationCertificateSource) {}

  async load(resultRevisionId: string): Promise<CertificateDraft> {
    try {
      return await this.calibration.load(resultRevisionId);
    } catch (e) {
      if (e instanceof CertificateDraftError) throw new CertificateSourceError(resultRevisionId, e.reason, e.message);
      throw e;
    }
  }
}
