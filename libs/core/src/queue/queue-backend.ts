import { createPostgresBackend, setDefaultBackendFactory, type QueueOptions } from 'bullmq';
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
export function configureQueueBackend(env: Env, databaseUrl: string, prefix = 'tdc'): QueueBackend {
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
      connection: { connectionString: databaseUrl, migrate: true, max: 10 },
    } as unknown as QueueOptions,
    description: `queues on PostgreSQL (BullMQ postgres backend) at ${redact(databaseUrl)}`,
  };
}
