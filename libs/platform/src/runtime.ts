import { DataSource } from 'typeorm';
import {
  APP_ROLE,
  appRoleProblems,
  configureQueueBackend,
  migrateQueueSchema,
  runMigrations,
  startEmbeddedPostgres,
  type Env,
  type QueueBackend,
} from '#libs/core';
import { runCatalogueSeed } from '#libs/registry';
import { runTestingSeed } from '#libs/testing';
import { dataSourceOptions } from './index.js';

export interface Runtime {
  /** The application's connection (role tdc_app when the roles are split). */
  databaseUrl: string;
  /** The owner's connection: migrations. The same as databaseUrl when only DATABASE_URL is set. */
  migrationDatabaseUrl: string;
  /**
   * The process's one connection pool, shared by the API and the worker when they run in one
   * process (DatabaseModule in #libs/core); closed by stop(), after the Nest contexts.
   */
  dataSource: DataSource;
  backend: QueueBackend;
  /** Stops what the runtime started itself (the pool, then the embedded database); idempotent. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Only the single-machine `npm start` may start the embedded database. */
  allowEmbedded: boolean;
  log: (line: string) => void;
  /** Redis key prefix; tests give each run its own. */
  queuePrefix?: string;
  /**
   * Load the shipped instrument-type catalogue, and the testing catalogue (products, parameters,
   * limits), each when it is empty (first start of a new installation), so that `npm start` gives a
   * usable system. The API's main sets it; tests do not,
   * and build their own data (or seed explicitly).
   */
  seedCatalogueIfEmpty?: boolean;
}

interface Connections {
  databaseUrl: string;
  migrationDatabaseUrl: string;
  stop: () => Promise<void>;
}

async function openDatabase(env: Env, options: RuntimeOptions): Promise<Connections> {
  if (env.DATABASE_URL) {
    return {
      databaseUrl: env.DATABASE_URL,
      migrationDatabaseUrl: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL,
      stop: async () => undefined,
    };
  }
  if (!options.allowEmbedded) {
    throw new Error('DATABASE_URL is required here: the embedded PostgreSQL is started only by `npm start`');
  }
  const embedded = await startEmbeddedPostgres(env.DATA_DIR, options.log);
  return { databaseUrl: embedded.url, migrationDatabaseUrl: embedded.migrationUrl, stop: () => embedded.stop() };
}

/**
 * With two connections, the application's must not be able to rewrite history (superuser, owner,
 * BYPASSRLS, no grants): start-up stops naming why. With one (migrations on the application's
 * connection, as before), production warns once when that connection is privileged; a worker given
 * only tdc_app's URL (RUN_MIGRATIONS=false) passes quietly.
 */
async function checkRoles(env: Env, db: Connections, log: (line: string) => void): Promise<void> {
  const split = db.databaseUrl !== db.migrationDatabaseUrl;
  if (!split && env.NODE_ENV !== 'production') return;
  const problems = await appRoleProblems(db.databaseUrl);
  if (problems.length === 0) return;
  if (split) throw new Error(`DATABASE_URL must be the unprivileged application role: ${problems.join('; ')}`);
  log(
    `warning: the application's database role may rewrite the audit trail (${problems.join('; ')}); set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to role ${APP_ROLE} (README, Configuration)`,
  );
}

/** Database (configured or embedded), migrations, queue backend: what both processes need before Nest starts. */
export async function prepareRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  const db = await openDatabase(env, options);
  const { databaseUrl, migrationDatabaseUrl } = db;
  let stop = db.stop;
  const split = databaseUrl !== migrationDatabaseUrl;
  try {
    if (env.RUN_MIGRATIONS) {
      const { applied } = await runMigrations(dataSourceOptions(migrationDatabaseUrl));
      options.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
      if (!env.REDIS_URL) await migrateQueueSchema(migrationDatabaseUrl, APP_ROLE);
    }
    await checkRoles(env, db, options.log);
    if (options.seedCatalogueIfEmpty) await seedCatalogueIfEmpty(databaseUrl, options.log);
    const backend = configureQueueBackend(env, databaseUrl, options.queuePrefix, !split);
    options.log(backend.description);
    const dataSource = await new DataSource(dataSourceOptions(databaseUrl, env.LOG_LEVEL !== 'silent')).initialize();
    const stopDatabase = stop;
    stop = async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopDatabase();
    };
    return { databaseUrl, migrationDatabaseUrl, dataSource, backend, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function seedCatalogueIfEmpty(databaseUrl: string, log: (line: string) => void): Promise<void> {
  const ds = new DataSource({
    ...dataSourceOptions(databaseUrl),
    extra: { max: 2, application_name: 'tdc-lims-seed' },
  });
  await ds.initialize();
  try {
    const report = await runCatalogueSeed(ds, { onlyIfEmpty: true });
    if (report?.typesInserted)
      log(
        `instrument-type catalogue was empty: seeded ${report.typesInserted} types, ${report.cyclesInserted} verification cycles and ${report.mpeRulesInserted} MPE rules`,
      );
    else if (report?.mpeRulesInserted)
      log(`instrument-type catalogue: added the ${report.mpeRulesInserted} shipped MPE rules to the existing types`);
    const testing = await runTestingSeed(ds, { onlyIfEmpty: true });
    if (testing)
      log(
        `testing catalogue was empty: seeded ${testing.productsInserted} products, ${testing.parametersInserted} parameters and ${testing.limitsInserted} specification limits`,
      );
  } finally {
    await ds.destroy();
  }
}
