import { Module } from '@nestjs/common';
import { CERTIFICATE_SOURCE } from '#libs/certificates';
import { DatabaseModule } from '#libs/core';
import { CalibrationCertificateSource } from './results/calibration-certificate-source.js';
import { CalibrationResultReader } from './results/calibration-result-reader.js';
import { CalibrationResultStoreModule } from './results/calibration-result-store.module.js';

/**
 * What other libraries may use of the calibration library: the read side of approved results
 * (CalibrationResultReader) and the certificates library's CERTIFICATE_SOURCE port, implemented by
 * CalibrationCertificateSource. Worker-safe: it needs the database only (no HTTP, no auth library).
 * The application wires it into certificates: `CertificatesModule.withSource(CalibrationReadModule)`.
 */
@Module({
  imports: [DatabaseModule, CalibrationResultStoreModule],
  providers: [
    CalibrationResultReader,
    CalibrationCertificateSource,
    { provide: CERTIFICATE_SOURCE, useExisting: CalibrationCertificateSource },
  ],
  exports: [CalibrationResultReader, CalibrationCertificateSource, CERTIFICATE_SOURCE],
})
export class CalibrationReadModule {}
