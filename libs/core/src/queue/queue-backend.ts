import {
  createPostgresBackend,
  DEFAULT_SCHEMA,
  runMigrations,
  setDefaultBackendFactory,
  type QueueOptions,
} from 'bullmq';
import pg from 'pg';
import type { RedisOptions } from 'bullmq';
import type { Env } from '../config/env.js';

export type QueueBackendKind = 'redis' | 'postgres';

export interface QueueBackend {
  kind: QueueBackendKind;
  /** Options given to BullModule.forRoot (shared by every queue and worker). */
  options: QueueOptions;
  /** One line for the start-up log; never contains credentials. */
  description: string;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: db ? Number(db) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * Chooses where BullMQ keeps its queues: Redis when REDIS_URL is set, otherwise BullMQ 6's own
 * PostgreSQL backend in the application's database (schema `bullmq`), so one PostgreSQL suffices
 * for a small centre. BullMQ's backend choice is process-wide, hence it is set here, before any
 * Queue or Worker is constructed.
 */
export function configureQueueBackend(
  env: Env,
  databaseUrl: string,
  prefix = 'tdc',
  /** False when the connection is the application role, which may not create the schema: see migrateQueueSchema. */
  migrate = true,
): QueueBackend {
  if (env.REDIS_URL) {
    setDefaultBackendFactory();
    return {
      kind: 'redis',
      options: { connection: redisOptions(env.REDIS_URL), prefix },
      description: `queues on Redis at ${redact(env.REDIS_URL)}`,
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return {
    kind: 'postgres',
    // The PostgreSQL backend takes pg pool options; QueueOptions is typed for Redis, hence the cast.
    options: {
      connection: { connectionString: databaseUrl, migrate, max: 10 },
    } as unknown as QueueOptions,
    description: `queues on PostgreSQL (BullMQ postgres backend) at ${redact(databaseUrl)}`,
  };
}

/**
 * Creates or upgrades BullMQ's PostgreSQL schema as the owner (the application role may not create
 * it), then gives `appRole` the use of it: the schema's tables are ordinary work tables (DML), its
 * functions run with the caller's rights. BullMQ also creates (and on obliterate drops) one job-id
 * sequence per queue at run time, so the application role may CREATE in this schema, and owns those
 * sequences; it still owns no table of the application's schema.
 */
export async function migrateQueueSchema(ownerUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await runMigrations(client, DEFAULT_SCHEMA);
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole]);
    if (role.rowCount === 0) return;
    const schema = client.escapeIdentifier(DEFAULT_SCHEMA);
    const grantee = client.escapeIdentifier(appRole);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${grantee}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${grantee}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${grantee}`);
  } finally {
    await client.end();
  }
}
