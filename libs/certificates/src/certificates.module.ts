import { join } from 'node:path';
import { Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#libs/audit';
import { ENV, type Env } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { WebhooksModule } from '#libs/webhooks';
import { Certificate, CertificateSeries, VerificationStamp } from './certificate.entity.js';
import { CertificateIssueController, CertificateController } from './certificate.controller.js';
import { CertificateService } from './certificate.service.js';
import { CertificateSettings } from './certificate-settings.js';
import { CertificateIssueHandler } from './issuing/certificate-issue.handler.js';
import { CertificateIssuer } from './issuing/certificate-issuer.service.js';
import { PublicCertificateController, VerifyPageController } from './public/public-certificate.controller.js';
import { PublicCertificateService } from './public/public-certificate.service.js';
import { PublicLookupFastPath } from './public/public-lookup.fast-path.js';
import { PublicRateLimiter, PublicRateLimitGuard } from './public/public-rate-limit.js';
import { CERTIFICATE_STORAGE, LocalCertificateStorage } from './storage/certificate-storage.js';

export const CERTIFICATE_ENTITIES = [CertificateSeries, Certificate, VerificationStamp];

/** What both the API (amendments) and the worker (the queue) need to issue a certificate. */
const ISSUING: Provider[] = [
  CertificateSettings,
  {
    provide: CERTIFICATE_STORAGE,
    inject: [ENV],
    useFactory: (env: Env) =>
      new LocalCertificateStorage(env.CERTIFICATE_STORAGE_DIR ?? join(env.DATA_DIR, 'certificates')),
  },
  CertificateIssuer,
];

/**
 * Certificates (giấy chứng nhận): issue through the queue, amendment, revocation, stamps, files,
 * public verification. The result workflow provides CERTIFICATE_SOURCE (a global provider).
 */
@Module({
  imports: [TypeOrmModule.forFeature(CERTIFICATE_ENTITIES), RegistryModule, WebhooksModule, AuditModule],
  controllers: [CertificateController, CertificateIssueController, PublicCertificateController, VerifyPageController],
  providers: [
    ...ISSUING,
    CertificateService,
    PublicCertificateService,
    PublicRateLimiter,
    PublicRateLimitGuard,
    PublicLookupFastPath,
  ],
  exports: [CertificateService, CertificateIssuer, PublicCertificateService],
})
export class CertificatesModule {}

/** Worker side: the `certificate.issue` job. */
@Module({
  imports: [TypeOrmModule.forFeature(CERTIFICATE_ENTITIES), RegistryModule, WebhooksModule, AuditModule],
  providers: [...ISSUING, CertificateIssueHandler],
  exports: [CertificateIssuer],
})
export class CertificateJobsModule {}
