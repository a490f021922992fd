import { Module } from '@nestjs/common';
import { CertificateSearchModule } from '#libs/certificates';
import { DatabaseModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { RequestWorkflowModule } from '#libs/requests';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

/** `GET /search` (staff): the one search box over the other libraries' own searches. */
@Module({
  imports: [DatabaseModule, RegistryModule, RequestWorkflowModule, CertificateSearchModule],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
