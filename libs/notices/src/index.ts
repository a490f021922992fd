/**
 * Notices to customers: recall notices (instruments due in 60/30/7 days or overdue) and
 * reverse-traceability notices (a standard found out of tolerance), each by e-mail and webhook,
 * with a delivery log.
 */
export * from './notices.errors.js';
export * from './notice.entities.js';
export * from './notices.module.js';
export * from './recall-period.js';
export * from './dto/notice.dto.js';
