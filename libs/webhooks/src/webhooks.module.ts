import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { DatabaseModule, EgressModule, OutboxModule, QueueModule, SecretsModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { WebhookDeliverHandler } from './webhook-deliver.handler.js';
import { WebhookSecretSealer } from './webhook-secrets.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';
import { WebhookRepository } from './webhook.repository.js';
import { WebhookService } from './webhook.service.js';

export const WEBHOOK_ENTITIES = [WebhookEndpoint, WebhookDelivery, WebhookAttempt];
const DATABASE = DatabaseModule.forFeature(WEBHOOK_ENTITIES);

/** The webhooks' SQL (WebhookRepository), one instance for this library's modules; not in index.ts. */
@Module({ imports: [DATABASE], providers: [WebhookRepository], exports: [WebhookRepository, DATABASE] })
export class WebhookStoreModule {}

@Module({
  imports: [WebhookStoreModule, AuditModule, RegistryModule, OutboxModule, QueueModule, EgressModule, SecretsModule],
  controllers: [WebhookController],
  providers: [WebhookService, WebhookSecretSealer],
  exports: [WebhookService],
})
export class WebhooksModule {}

/** Worker side: the delivery job (a plaintext secret not sealed yet still signs; the API seals it). */
@Module({
  imports: [WebhookStoreModule, EgressModule, SecretsModule],
  providers: [WebhookDeliverHandler],
})
export class WebhookJobsModule {}
