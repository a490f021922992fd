import { Module } from '@nestjs/common';
import { DatabaseModule, OutboxModule } from '#libs/core';
import { AuditModule } from '#libs/audit';
import { RequestsModule } from '#libs/requests';
import { TESTING_ENTITIES } from './catalogue/catalogue.entity.js';
import { CatalogueStoreModule } from './catalogue/catalogue-store.module.js';
import { TestingCatalogueService } from './catalogue/catalogue.service.js';
import { ConformityService } from './conformity/conformity.service.js';
import { SAMPLE_ENTITIES } from './samples/sample.entity.js';
import { SampleRepository } from './samples/sample.repository.js';
import { SampleService } from './samples/sample.service.js';
import { SamplesController } from './samples/samples.controller.js';
import { TestingController } from './testing.controller.js';

/**
 * The testing (thử nghiệm) library: catalogue, conformity and samples in requests (through
 * RequestsModule's RequestService and workflow). HTTP only; the worker needs nothing of it yet.
 */
@Module({
  imports: [
    DatabaseModule.forFeature([...TESTING_ENTITIES, ...SAMPLE_ENTITIES]),
    CatalogueStoreModule,
    AuditModule,
    OutboxModule,
    RequestsModule,
  ],
  controllers: [TestingController, SamplesController],
  providers: [TestingCatalogueService, ConformityService, SampleRepository, SampleService],
  exports: [TestingCatalogueService, ConformityService, SampleService],
})
export class TestingModule {}
