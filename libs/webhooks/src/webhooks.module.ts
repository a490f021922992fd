import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { EgressModule, OutboxModule, QueueModule, SecretsModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { WebhookDeliverHandler } from './webhook-deliver.handler.js';
import { WebhookSecretSealer } from './webhook-secrets.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookStoreModule } from './webhook-store.module.js';
import { WebhookService } from './webhook.service.js';

export { WEBHOOK_ENTITIES } from './webhook-store.module.js';

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
