import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { WebhookDeliverHandler } from './webhook-deliver.handler.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';
import { WebhookService } from './webhook.service.js';

export const WEBHOOK_ENTITIES = [WebhookEndpoint, WebhookDelivery, WebhookAttempt];

@Module({
  imports: [TypeOrmModule.forFeature(WEBHOOK_ENTITIES), RegistryModule, OutboxModule],
  controllers: [WebhookController],
  providers: [WebhookService],
  exports: [WebhookService],
})
export class WebhooksModule {}

/** Worker side: the delivery job. */
@Module({
  imports: [TypeOrmModule.forFeature(WEBHOOK_ENTITIES)],
  providers: [WebhookDeliverHandler],
})
export class WebhookJobsModule {}
