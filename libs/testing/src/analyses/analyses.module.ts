import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { AuthModule } from '#libs/auth';
import { DatabaseModule, OutboxModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { RequestsModule } from '#libs/requests';
import { CatalogueStoreModule } from '../catalogue/catalogue-store.module.js';
import { TestingModule } from '../testing.module.js';
import { AnalysesController } from './analyses.controller.js';
import { AnalysesService } from './analyses.service.js';
import { AnalysisStoreModule } from './analysis-store.module.js';
import { EquipmentOnDate } from './equipment-on-date.js';
import { SAMPLE_FACTS } from './sample-facts.js';
import { SampleFactsRepository } from './sample-facts.repository.js';
import { TestReportSource } from './test-report-source.js';
import { TestResultsService } from './test-results.service.js';
import { TestReviewService } from './test-review.service.js';

/**
 * What other libraries may use of testing's results (worker-safe: the database and the registry, no
 * HTTP, no auth): the certificates library's CERTIFICATE_SOURCE port for test reports
 * (TestReportSource), and the samples read as SampleFacts. The application wires TestReportSource
 * into the certificate queue beside calibration's source.
 */
@Module({
  imports: [DatabaseModule, AnalysisStoreModule, CatalogueStoreModule, RegistryModule],
  providers: [SampleFactsRepository, { provide: SAMPLE_FACTS, useExisting: SampleFactsRepository }, TestReportSource],
  exports: [TestReportSource, SAMPLE_FACTS],
})
export class TestingReadModule {}

/** Analyses (contract review of a sample), results with revisions, and review: the HTTP side. */
@Module({
  imports: [
    DatabaseModule,
    AnalysisStoreModule,
    TestingModule,
    TestingReadModule,
    AuditModule,
    AuthModule,
    OutboxModule,
    RegistryModule,
    RequestsModule,
  ],
  controllers: [AnalysesController],
  providers: [AnalysesService, TestResultsService, TestReviewService, EquipmentOnDate],
})
export class AnalysesModule {}
