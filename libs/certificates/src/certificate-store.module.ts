import { Injectable, Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { Certificate, CertificateOwnerRelease, CertificateSeries, VerificationStamp } from './certificate.entity.js';
import { CertificateRepository } from './certificate.repository.js';

export const CERTIFICATE_ENTITIES = [CertificateSeries, Certificate, VerificationStamp, CertificateOwnerRelease];

/**
 * The certificates' SQL (CertificateRepository), one instance for this library's modules: not in
 * index.ts, and no other library's module imports it (scripts/check-library-ownership.mjs).
 */
const DATABASE = DatabaseModule.forFeature(CERTIFICATE_ENTITIES);

@Module({ imports: [DATABASE], providers: [CertificateRepository], exports: [CertificateRepository, DATABASE] })
export class CertificateStoreModule {}

/** The register as other libraries read it, with no issuing and no certificate source. */
@Injectable()
export class CertificateRegister {
  constructor(private readonly certificates: CertificateRepository) {}

  /**
   * For reverse traceability (libs/notices): the certificates, not revoked, issued from these result
   * revisions — what a standard found out of tolerance puts in doubt.
   */
  issuedFromRevisions(resultRevisionIds: readonly string[]): Promise<Certificate[]> {
    return this.certificates.issuedFromRevisions(resultRevisionIds);
  }
}

/**
 * What a library that only reads certificates imports (notices' out-of-tolerance findings). It is
 * not `CertificatesModule.withSource(…)` a second time: a dynamic module imported with another source
 * is another module to Nest, with its own issuer and every certificate route registered again.
 */
@Module({ imports: [CertificateStoreModule], providers: [CertificateRegister], exports: [CertificateRegister] })
export class CertificateRegisterModule {}
