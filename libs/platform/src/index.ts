import { buildDataSourceOptions, SystemPing, type SchemaParts } from '#libs/core';
import { AUTH_ENTITIES } from '#libs/auth';
import { REGISTRY_ENTITIES } from '#libs/registry';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';

/**
 * The whole database schema of TĐC LIMS: every entity of every domain library and every migration.
 * The apps, the migration CLI and the tests build their DataSource from this, so they cannot disagree.
 */
export const ENTITIES = [SystemPing, ...REGISTRY_ENTITIES, ...AUTH_ENTITIES];

export const SCHEMA: SchemaParts = { entities: ENTITIES, migrations: MIGRATIONS };

export function dataSourceOptions(url: string): DataSourceOptions {
  return buildDataSourceOptions(url, SCHEMA);
}
export * from './runtime.js';
