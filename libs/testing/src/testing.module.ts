import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#libs/audit';
import { TESTING_ENTITIES } from './catalogue/catalogue.entity.js';
import { CatalogueRepository } from './catalogue/catalogue.repository.js';
import { TestingCatalogueService } from './catalogue/catalogue.service.js';
import { ConformityService } from './conformity/conformity.service.js';
import { TestingController } from './testing.controller.js';

/** The testing (thử nghiệm) library: catalogue and conformity. HTTP only; the worker needs nothing of it yet. */
@Module({
  imports: [TypeOrmModule.forFeature(TESTING_ENTITIES), AuditModule],
  controllers: [TestingController],
  providers: [CatalogueRepository, TestingCatalogueService, ConformityService],
  exports: [TestingCatalogueService, ConformityService],
})
export class TestingModule {}
