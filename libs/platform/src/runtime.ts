import { DataSource } from 'typeorm';
import { configureQueueBackend, runMigrations, startEmbeddedPostgres, type Env, type QueueBackend } from '#libs/core';
import { runCatalogueSeed } from '#libs/registry';
import { dataSourceOptions } from './index.js';

export interface Runtime {
  databaseUrl: string;
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
   * Load the shipped instrument-type catalogue when the catalogue is empty (first start of a new
   * installation), so that `npm start` gives a usable system. The API's main sets it; tests do not,
   * and build their own data (or seed explicitly).
   */
  seedCatalogueIfEmpty?: boolean;
}

/** Database (configured or embedded), migrations, queue backend: what both processes need before Nest starts. */
export async function prepareRuntime(env: Env, options: RuntimeOptions): Promise<Runtime> {
  let stop = async (): Promise<void> => undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    if (!options.allowEmbedded) {
      throw new Error('DATABASE_URL is required here: the embedded PostgreSQL is started only by `npm start`');
    }
    const embedded = await startEmbeddedPostgres(env.DATA_DIR, options.log);
    databaseUrl = embedded.url;
    stop = () => embedded.stop();
  }
  try {
    if (env.RUN_MIGRATIONS) {
      const { applied } = await runMigrations(dataSourceOptions(databaseUrl));
      options.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
    }
    if (options.seedCatalogueIfEmpty) await seedCatalogueIfEmpty(databaseUrl, options.log);
    const backend = configureQueueBackend(env, databaseUrl, options.queuePrefix);
    options.log(backend.description);
    const dataSource = await new DataSource(dataSourceOptions(databaseUrl, env.LOG_LEVEL !== 'silent')).initialize();
    const stopDatabase = stop;
    stop = async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopDatabase();
    };
    return { databaseUrl, dataSource, backend, stop };
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
  } finally {
    await ds.destroy();
  }
}
