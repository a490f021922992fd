import { CertificateExport } from './certificate-export.js';
import { NationalExportController } from './national-export/national-export.controller.js';
import { NationalExportRepository } from './national-export/national-export.repository.js';
import { NationalExport } from './national-export/national-export.service.js';
import { join } from 'node:path';
import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { ENV, OutboxModule, QueueModule, RateLimitRedisModule, type Env } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { RequestWorkflowModule } from '#libs/requests';
import { WebhooksModule } from '#libs/webhooks';
import { CertificateIssueController, CertificateController } from './certificate.controller.js';
import { CertificateStoreModule } from './certificate-store.module.js';
import { CertificateService } from './certificate.service.js';
import { CertificateSeriesRepository } from './numbering/certificate-series.repository.js';
import { CertificateSettings } from './certificate-settings.js';
import { CertificateIssueRetry } from './issuing/certificate-issue-retry.service.js';
import { CertificateIssueHandler } from './issuing/certificate-issue.handler.js';
import { CertificateIssuer } from './issuing/certificate-issuer.service.js';
import { CertificateRenderer } from './issuing/certificate-renderer.js';
import { NumberForecast } from './numbering/number-forecast.js';
import { CertificateOwnerReleaseHandler } from './release/owner-release.handler.js';
import { CertificateRevoker } from './revocation/certificate-revoker.service.js';
import { PublicCertificateController, VerifyPageController } from './public/public-certificate.controller.js';
import { PublicCertificateService } from './public/public-certificate.service.js';
import { PublicLookupFastPath } from './public/public-lookup.fast-path.js';
import { PublicRateLimiter, PublicRateLimitGuard } from './public/public-rate-limit.js';
import { CERTIFICATE_STORAGE, LocalCertificateStorage } from './storage/certificate-storage.js';
import { StoredFileSweeper } from './storage/stored-file-sweeper.js';

export { CERTIFICATE_ENTITIES } from './certificate-store.module.js';

/**
 * The laboratory as printed and its signing identity (CertificateSettings), for every signed document
 * of the installation: certificates here, the periodic statistics report in libs/reporting. A Nest
 * module is a singleton, so the API process holds one whichever library imports it.
 */
@Module({ providers: [CertificateSettings], exports: [CertificateSettings] })
export class CertificateSigningModule {}

/** What both the API (amendments) and the worker (the queue) need to issue a certificate. */
const ISSUING: Provider[] = [
  {
    provide: CERTIFICATE_STORAGE,
    inject: [ENV],
    useFactory: (env: Env) =>
      new LocalCertificateStorage(env.CERTIFICATE_STORAGE_DIR ?? join(env.DATA_DIR, 'certificates')),
  },
  CertificateSeriesRepository,
  CertificateRenderer,
  NumberForecast,
  CertificateIssuer,
];

const ISSUING_IMPORTS = [
  CertificateSigningModule,
  CertificateStoreModule,
  RegistryModule,
  WebhooksModule,
  AuditModule,
  RequestWorkflowModule,
];

/**
 * A module that provides and exports CERTIFICATE_SOURCE (certificate-source.ts): the library whose
 * results become certificates (calibration's CalibrationReadModule). Certificates owns the port and
 * imports no implementation of it, so a source library depends on certificates, never the reverse.
 */
export type CertificateSourceModule = Type<unknown> | DynamicModule;

/**
 * Certificates (giấy chứng nhận): issue through the queue, amendment, revocation, stamps, files,
 * public verification. Import `CertificatesModule.withSource(…)`: issuing needs CERTIFICATE_SOURCE.
 */
@Module({
  imports: [...ISSUING_IMPORTS, OutboxModule, QueueModule, RateLimitRedisModule],
  controllers: [
    CertificateController,
    CertificateIssueController,
    PublicCertificateController,
    VerifyPageController,
    NationalExportController,
  ],
  providers: [
    ...ISSUING,
    CertificateService,
    CertificateRevoker,
    CertificateIssueRetry,
    PublicCertificateService,
    PublicRateLimiter,
    PublicRateLimitGuard,
    PublicLookupFastPath,
    NationalExportRepository,
    NationalExport,
    CertificateExport,
  ],
  exports: [CertificateService, CertificateIssuer, PublicCertificateService],
})
export class CertificatesModule {
  static withSource(source: CertificateSourceModule): DynamicModule {
    return { module: CertificatesModule, imports: [source] };
  }
}

/**
 * Worker side: the `certificate.issue` and `certificate.release_to_owner` jobs. Import
 * `CertificateJobsModule.withSource(…)`.
 */
@Module({
  imports: ISSUING_IMPORTS,
  providers: [...ISSUING, CertificateIssueHandler, CertificateOwnerReleaseHandler, StoredFileSweeper],
  exports: [CertificateIssuer],
})
export class CertificateJobsModule {
  static withSource(source: CertificateSourceModule): DynamicModule {
    return { module: CertificateJobsModule, imports: [source] };
  }
}
