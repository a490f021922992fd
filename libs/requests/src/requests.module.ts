import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { AuditModule } from '#libs/audit';
import { AuthModule } from '#libs/auth';
import { RegistryModule } from '#libs/registry';
import { WebhooksModule } from '#libs/webhooks';
import { ContractReviewService } from './contract-review.service.js';
import { ItemMoveRules } from './item-move-rules.js';
import { RequestActionsService } from './request-actions.service.js';
import { RequestBatchController } from './request-batch.controller.js';
import { RequestBatchService } from './request-batch.service.js';
import { RequestController } from './request.controller.js';
import { RequestLabelsService } from './request-labels.service.js';
import { RequestHistoryEntry, RequestItem, RequestSeries, ServiceRequest } from './request.entities.js';
import { RequestItemWorkflow } from './request-item-workflow.js';
import { RequestSearch } from './request-search.js';
import { RequestStoreModule } from './request-store.module.js';
import { RequestService } from './request.service.js';

export const REQUESTS_ENTITIES = [ServiceRequest, RequestItem, RequestHistoryEntry, RequestSeries];

/**
 * What other libraries may use of the requests library, and their only way to move an item:
 * RequestItemWorkflow (results approved, certificate issued). Worker-safe: it needs the database,
 * the audit trail and webhooks only, no HTTP and no auth library.
 */
@Module({
  imports: [DatabaseModule.forFeature(REQUESTS_ENTITIES), RequestStoreModule, AuditModule, WebhooksModule],
  providers: [RequestItemWorkflow, RequestSearch],
  exports: [RequestItemWorkflow, RequestSearch],
})
export class RequestWorkflowModule {}

/**
 * Service requests and their workflow over HTTP. Other libraries use RequestWorkflowModule (moving
 * items) and RequestService (reading requests and items).
 */
@Module({
  imports: [
    DatabaseModule.forFeature(REQUESTS_ENTITIES),
    RequestStoreModule,
    AuditModule,
    AuthModule,
    RegistryModule,
    WebhooksModule,
    RequestWorkflowModule,
  ],
  controllers: [RequestController, RequestBatchController],
  providers: [
    RequestService,
    RequestActionsService,
    RequestBatchService,
    RequestLabelsService,
    ItemMoveRules,
    ContractReviewService,
  ],
  exports: [RequestService, RequestLabelsService, RequestWorkflowModule],
})
export class RequestsModule {}
