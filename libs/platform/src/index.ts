import { AUDIT_ENTITIES } from '#libs/audit';
import { AUTH_ENTITIES } from '#libs/auth';
import { CALIBRATION_ENTITIES } from '#libs/calibration';
import { CERTIFICATE_ENTITIES } from '#libs/certificates';
import { buildDataSourceOptions, IdempotencyRecord, OutboxMessage, SystemPing, type SchemaParts } from '#libs/core';
import { NOTICE_ENTITIES } from '#libs/notices';
import { REGISTRY_ENTITIES } from '#libs/registry';
import { REQUESTS_ENTITIES } from '#libs/requests';
import { ANALYSIS_ENTITIES, SAMPLE_ENTITIES, TESTING_ENTITIES } from '#libs/testing';
import { WEBHOOK_ENTITIES } from '#libs/webhooks';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';

/**
 * The whole database schema of TĐC LIMS: every entity of every domain library and every migration.
 * The apps, the migration CLI and the tests build their DataSource from this, so they cannot disagree.
 */
export const ENTITIES = [
  SystemPing,
  IdempotencyRecord,
  OutboxMessage,
  ...AUDIT_ENTITIES,
  ...REGISTRY_ENTITIES,
  ...AUTH_ENTITIES,
  ...WEBHOOK_ENTITIES,
  ...REQUESTS_ENTITIES,
  ...CALIBRATION_ENTITIES,
  ...CERTIFICATE_ENTITIES,
  ...TESTING_ENTITIES,
  ...SAMPLE_ENTITIES,
  ...NOTICE_ENTITIES,
  ...ANALYSIS_ENTITIES,
];

export const SCHEMA: SchemaParts = { entities: ENTITIES, migrations: MIGRATIONS };

export function dataSourceOptions(url: string, logQueryErrors = true): DataSourceOptions {
  return buildDataSourceOptions(url, SCHEMA, logQueryErrors);
}
export * from './runtime.js';
export * from './certificate-sources.module.js';
export * from './process-lifecycle.js';
export * from './backup/index.js';
