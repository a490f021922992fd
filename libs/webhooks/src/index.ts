export * from './webhooks.errors.js';
export * from './events.js';
export * from './signature.js';
export * from './webhook.entities.js';
export * from './webhook.service.js';
export * from './webhooks.module.js';
export * from './dto/webhook.dto.js';
export * from './webhook-secrets.js';
