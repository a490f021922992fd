import { Module } from '@nestjs/common';
import { CalibrationCertificateSource, CalibrationReadModule } from '#libs/calibration';
import { CERTIFICATE_SOURCE, FirstKnownCertificateSource } from '#libs/certificates';
import { TestingReadModule, TestReportSource } from '#libs/testing';

/**
 * Where certificates come from: calibration and verification results (calibration's source) and test
 * results (testing's source, the test reports), behind the certificates library's one port. Wired
 * into the API (`CertificatesModule.withSource(CertificateSourcesModule)`) and the worker
 * (`CertificateJobsModule.withSource(CertificateSourcesModule)`).
 */
@Module({
  imports: [CalibrationReadModule, TestingReadModule],
  providers: [
    {
      provide: CERTIFICATE_SOURCE,
      inject: [CalibrationCertificateSource, TestReportSource],
      useFactory: (calibration: CalibrationCertificateSource, testing: TestReportSource) =>
        new FirstKnownCertificateSource([calibration, testing]),
    },
  ],
  exports: [CERTIFICATE_SOURCE],
})
export class CertificateSourcesModule {}
