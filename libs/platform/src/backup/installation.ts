import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  runMigrations,
  runningEmbeddedPostgres,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type Env,
} from '#libs/core';
import { MIGRATIONS } from '../../../../migrations/index.js';
import { dataSourceOptions } from '../index.js';
import type { SchemaMigrator } from './backup-archive.js';
import type { FileFolder } from './manifest.js';

/** The folders an archive carries, where this installation keeps them. */
export function installationFolders(env: Env): Record<FileFolder, string> {
  return {
    certificates: env.CERTIFICATE_STORAGE_DIR ?? join(env.DATA_DIR, 'certificates'),
    secrets: join(env.DATA_DIR, 'secrets'),
    signing: join(env.DATA_DIR, 'signing'),
  };
}

/**
 * Backup and restore use the owner's connection (`migrationUrl`): the application role may not read
 * the migrations table, nor switch a table's triggers off for a restore.
 *
 * DATABASE_URL when configured; otherwise the embedded server of DATA_DIR: the one a running
 * `npm start` already serves, or, when the system is stopped, one started for this command.
 */
export async function openInstallationDatabase(env: Env, log: (line: string) => void): Promise<EmbeddedDatabase> {
  if (env.DATABASE_URL) {
    const migrationUrl = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
    return { url: env.DATABASE_URL, migrationUrl, stop: async () => undefined };
  }
  const running = await runningEmbeddedPostgres(env.DATA_DIR);
  if (running) {
    log('using the embedded PostgreSQL of the running system');
    return running;
  }
  return startEmbeddedPostgres(env.DATA_DIR, log);
}

function migrationName(m: (typeof MIGRATIONS)[number]): string {
  return new m().name ?? m.name;
}

/** This code's migrations, run in whole or up to a given set (an archive's schema version). */
export const schemaMigrator: SchemaMigrator = {
  known: () => MIGRATIONS.map(migrationName),
  async run(databaseUrl, only) {
    const migrations = only ? MIGRATIONS.filter((m) => only.has(migrationName(m))) : MIGRATIONS;
    await runMigrations({ ...dataSourceOptions(databaseUrl), migrations });
  },
  async revertAll(databaseUrl) {
    const ds = new DataSource({ ...dataSourceOptions(databaseUrl), migrationsTransactionMode: 'each' });
    await ds.initialize();
    try {
      while ((await ds.query(`SELECT count(*)::int AS n FROM typeorm_migrations`))[0].n > 0)
        await ds.undoLastMigration();
    } finally {
      await ds.destroy();
    }
  },
};
