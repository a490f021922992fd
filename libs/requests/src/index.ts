export * from './requests.errors.js';
export * from './requests.module.js';
export * from './request.entities.js';
export * from './workflow.js';
export * from './contract-review.js';
export * from './request.service.js';
export * from './request-item-workflow.js';
export * from './dto/request.dto.js';
export type { Actor } from './actor.js';
