import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';
import { WebhookRepository } from './webhook.repository.js';

export const WEBHOOK_ENTITIES = [WebhookEndpoint, WebhookDelivery, WebhookAttempt];
const DATABASE = DatabaseModule.forFeature(WEBHOOK_ENTITIES);

/**
 * The webhooks' SQL (WebhookRepository), one instance for this library's modules: not in index.ts,
 * and no other library's module imports it (scripts/check-library-ownership.mjs).
 */
@Module({ imports: [DATABASE], providers: [WebhookRepository], exports: [WebhookRepository, DATABASE] })
export class WebhookStoreModule {}
