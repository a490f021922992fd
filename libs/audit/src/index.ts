export * from './audit.module.js';
export * from './audit-event.entity.js';
export * from './audit-trail.service.js';
export * from './batch-records.js';
export * from './dto/audit.dto.js';
export * from './audit-chain.js';
export { AuditEventRepository, type AuditChainRow } from './audit-event.repository.js';
