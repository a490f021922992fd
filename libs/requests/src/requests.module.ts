import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegistryModule } from '#libs/registry';
import { WebhooksModule } from '#libs/webhooks';
import { ContractReviewService } from './contract-review.service.js';
import { RequestActionsService } from './request-actions.service.js';
import { RequestController } from './request.controller.js';
import { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { RequestItemWorkflow } from './request-item-workflow.js';
import { RequestService } from './request.service.js';

export const REQUESTS_ENTITIES = [ServiceRequest, RequestItem, RequestHistoryEntry];

/**
 * Service requests and their workflow. Other libraries use RequestItemWorkflow (results approved,
 * certificate issued) and RequestService (reading requests and items).
 */
@Module({
  imports: [TypeOrmModule.forFeature(REQUESTS_ENTITIES), RegistryModule, WebhooksModule],
  controllers: [RequestController],
  providers: [RequestService, RequestActionsService, RequestItemWorkflow, ContractReviewService],
  exports: [RequestService, RequestItemWorkflow],
})
export class RequestsModule {}
