import { createHash } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { ALL_QUEUES, JobQueue, loadEnv, type Env } from '#libs/core';
import { ensureDevSigningIdentity } from '#libs/documents';
import { prepareRuntime, type Runtime } from '#libs/platform';
import { createApi } from '../../apps/api/src/api.js';
import { createWorker } from '../../apps/worker/src/worker.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueSuffix, type TestDatabase } from './database.js';
import { checkedAgent } from './checked-agent.js';

export interface TestSystem {
  env: Env;
  db: TestDatabase;
  runtime: Runtime;
  app: INestApplication;
  worker?: INestApplicationContext;
  /** supertest against the app; every response is checked against the OpenAPI document (response-contract.ts). */
  http: () => TestAgent;
  /** Starts the queue worker in-process now (for a system started without it); close() stops it. */
  startWorker(): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  /** Queue backend: Redis (default in tests: it is what a real centre scales on) or PostgreSQL. */
  queue?: 'redis' | 'postgres';
  /** Start the queue worker in-process too. */
  worker?: boolean;
  env?: Record<string, string>;
  /** Seed the shipped instrument-type catalogue (types, cycles, MPE rules) as `npm start` does on a new database. */
  seedCatalogue?: boolean;
}

/**
 * Boots the real API (and optionally the worker) against a fresh PostgreSQL database with every
 * migration applied, and real queues on Redis (own key prefix) or on PostgreSQL.
 */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const db = await createTestDatabase({ migrated: true });
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // As in production: migrations as the owner, the application as the role that owns nothing.
    MIGRATION_DATABASE_URL: db.url,
    DATABASE_URL: db.appUrl,
    ...(options.queue === 'postgres' ? {} : { REDIS_URL: TEST_REDIS_URL }),
    DATA_DIR: `/tmp/tdc-test-data/${db.name}`,
    WORKER_CONCURRENCY: '4',
    // The local webhook receiver (support/webhook-receiver.ts) listens on 127.0.0.1: allowed by the
    // egress policy's allow-list, as a centre would allow an internal receiver, not by switching the policy off.
    EGRESS_ALLOW: '127.0.0.1',
    // supertest connects from loopback: tests name distinct clients with X-Forwarded-For (clientAddress()).
    TRUST_PROXY: 'loopback',
    ...options.env,
  });
  if (env.SIGNING_P12_PATH === undefined) await shareDevSigningIdentity(env);
  const runtime = await prepareRuntime(env, {
    allowEmbedded: false,
    log: () => undefined,
    queuePrefix: `tdc_test_${uniqueSuffix()}`,
    seedCatalogueIfEmpty: options.seedCatalogue ?? false,
  });
  let worker = options.worker ? await createWorker(env, runtime.dataSource, runtime.backend) : undefined;
  const app = await createApi(env, runtime.dataSource, runtime.backend);
  await app.init();
  const server = app.getHttpServer();
  const sys: TestSystem = {
    env,
    db,
    runtime,
    app,
    worker,
    http: () => checkedAgent(request(server)),
    async startWorker() {
      if (worker) throw new Error('the worker is running already');
      worker = sys.worker = await createWorker(env, runtime.dataSource, runtime.backend);
      return worker;
    },
    async close() {
      if (env.REDIS_URL) {
        const jobs = app.get(JobQueue);
        for (const q of ALL_QUEUES)
          await jobs
            .queue(q)
            .obliterate({ force: true })
            .catch(() => undefined);
      }
      await worker?.close();
      await app.close();
      await runtime.stop();
      await db.drop();
      // This run's own files (the generated JWT secret, stored files): nothing else uses the directory.
      await rm(env.DATA_DIR, { recursive: true, force: true });
    },
  };
  return sys;
}

/**
 * The development signing identity the system would make on its first certificate (an RSA-2048
 * keygen, 0.4–0.7 s), made once per laboratory name for the whole test run and copied into this
 * system's DATA_DIR, where the application finds it as its own. The application's path is unchanged:
 * it still reads it with ensureDevSigningIdentity (startup.e2e covers one made from nothing).
 */
async function shareDevSigningIdentity(env: Env): Promise<void> {
  const commonName = `${env.LABORATORY_NAME} (development)`;
  const shared = join('/tmp/tdc-test-signing', createHash('sha256').update(commonName).digest('hex').slice(0, 16));
  ensureDevSigningIdentity(shared, commonName);
  await cp(join(shared, 'dev-signing'), join(env.DATA_DIR, 'signing', 'dev-signing'), { recursive: true });
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
