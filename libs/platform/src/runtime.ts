import { configureQueueBackend, runMigrations, startEmbeddedPostgres, type Env, type QueueBackend } from '#libs/core';
import { dataSourceOptions } from './index.js';

export interface Runtime {
  databaseUrl: string;
  backend: QueueBackend;
  /** Stops what the runtime started itself (the embedded database); idempotent. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Only the single-machine `npm start` may start the embedded database. */
  allowEmbedded: boolean;
  log: (line: string) => void;
  /** Redis key prefix; tests give each run its own. */
  queuePrefix?: string;
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
    const backend = configureQueueBackend(env, databaseUrl, options.queuePrefix);
    options.log(backend.description);
    return { databaseUrl, backend, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
