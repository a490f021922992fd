// Every Nest module a library exports boots with only what it imports itself: the testing module's
// root gives it the three globals (configuration, logging, the unit of work) and the process's
// connections (`DatabaseModule.forRoot`, `QueueModule.forRoot`, which provide nothing to a module
// that does not import DatabaseModule or QueueModule), and nothing else. A module that injects the
// DataSource, the EntityManager, JobQueue or QUEUE_BACKEND without importing the module that gives
// it fails here, when the testing module compiles.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import * as audit from '#libs/audit';
import * as auth from '#libs/auth';
import * as calibration from '#libs/calibration';
import * as certificates from '#libs/certificates';
import * as core from '#libs/core';
import * as documents from '#libs/documents';
import * as notices from '#libs/notices';
import * as platform from '#libs/platform';
import * as registry from '#libs/registry';
import * as reporting from '#libs/reporting';
import * as requests from '#libs/requests';
import * as search from '#libs/search';
import * as testing from '#libs/testing';
import * as uncertainty from '#libs/uncertainty';
import * as webhooks from '#libs/webhooks';
import { TEST_REDIS_URL, TEST_SERVER_URL, uniqueSuffix } from './support/database.js';

const {
  ALL_QUEUES,
  ConfigModule,
  configureQueueBackend,
  DatabaseModule,
  loadEnv,
  LoggingModule,
  QueueModule,
  QueueWorkersModule,
  UnitOfWorkModule,
} = core;

const LIBRARIES: Record<string, Record<string, unknown>> = {
  audit,
  auth,
  calibration,
  certificates,
  core,
  documents,
  notices,
  platform,
  registry,
  reporting,
  requests,
  search,
  testing,
  uncertainty,
  webhooks,
};

/** What the root gives every module under test (the globals), and the modules that are the root's to give. */
const ROOT_ONLY = new Set<unknown>([ConfigModule, LoggingModule, UnitOfWorkModule]);

/** Modules imported through a builder: how the apps import them. */
const BUILT = new Map<unknown, () => DynamicModule>([
  [
    certificates.CertificatesModule,
    () => certificates.CertificatesModule.withSource(platform.CertificateSourcesModule),
  ],
  [
    certificates.CertificateJobsModule,
    () => certificates.CertificateJobsModule.withSource(platform.CertificateSourcesModule),
  ],
  [QueueWorkersModule, () => QueueWorkersModule.forRoot({ concurrency: 1, lockDurationMs: 30000 })],
]);

/** Every class a library's index exports under a name ending in "Module" (Nest modules by this codebase's naming). */
function exportedModules(): { name: string; module: Type<unknown> }[] {
  const found: { name: string; module: Type<unknown> }[] = [];
  for (const [lib, exports] of Object.entries(LIBRARIES))
    for (const [name, value] of Object.entries(exports))
      if (name.endsWith('Module') && typeof value === 'function' && !ROOT_ONLY.has(value))
        found.push({ name: `${lib}: ${name}`, module: value as Type<unknown> });
  return found;
}

describe('each module boots with its own imports and the three globals only', () => {
  let dataDir: string;
  let env: core.Env;
  let dataSource: DataSource;
  let backend: core.QueueBackend;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tdc-module-imports-'));
    // Nothing here connects to PostgreSQL: compiling a module builds its providers, it runs no hook.
    const url = new URL(TEST_SERVER_URL);
    url.pathname = '/tdc_module_imports_never_created';
    env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url.toString(),
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir,
    });
    dataSource = new DataSource(platform.dataSourceOptions(env.DATABASE_URL!));
    backend = configureQueueBackend(env, env.DATABASE_URL!, `tdc_module_imports_${uniqueSuffix()}`);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  interface Roots {
    /** The root gives DatabaseModule.forRoot / QueueModule.forRoot (both by default). */
    database?: boolean;
    queue?: boolean;
    /**
     * Stand-ins for the BullMQ queues, which connect as soon as they are built: for the compilations
     * that are meant to fail, which leave nothing to close.
     */
    queuesNotConnected?: boolean;
  }

  /** Compiles a testing module of the globals, the process's connections and `under`; closes it again. */
  async function boot(under: Type<unknown> | DynamicModule, roots: Roots = {}): Promise<void> {
    const { database = true, queue = true, queuesNotConnected = false } = roots;
    let builder = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'module-imports'),
        UnitOfWorkModule,
        ...(database ? [DatabaseModule.forRoot(dataSource)] : []),
        ...(queue ? [QueueModule.forRoot(backend)] : []),
        under,
      ],
    });
    if (queuesNotConnected)
      for (const name of ALL_QUEUES) builder = builder.overrideProvider(getQueueToken(name)).useValue({ name });
    const ref = await builder.compile();
    await ref.close();
  }

  const modules = exportedModules();

  it('finds the modules of every library (the cross-library modules among them)', () => {
    const names = modules.map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(25);
    for (const name of [
      'requests: RequestWorkflowModule',
      'calibration: CalibrationReadModule',
      'testing: TestingReadModule',
      'core: DatabaseModule',
      'core: QueueModule',
    ])
      expect(names).toContain(name);
  });

  it.each(modules)('$name', async ({ module }) => {
    await boot(BUILT.get(module)?.() ?? module);
  });

  describe('the check itself', () => {
    @Injectable()
    class NeedsDatabase {
      constructor(@InjectDataSource() readonly db: DataSource) {}
    }
    @Injectable()
    class NeedsQueue {
      constructor(readonly jobs: core.JobQueue) {}
    }
    @Module({ providers: [NeedsDatabase] })
    class ForgotDatabaseModule {}
    @Module({ imports: [DatabaseModule], providers: [NeedsDatabase] })
    class ImportsDatabaseModule {}
    @Module({ providers: [NeedsQueue] })
    class ForgotQueueModule {}
    @Module({ imports: [QueueModule], providers: [NeedsQueue] })
    class ImportsQueueModule {}

    it('fails a module that injects the DataSource without importing DatabaseModule', async () => {
      await expect(boot(ForgotDatabaseModule, { queue: false })).rejects.toThrow(
        /NeedsDatabase.*DataSource.*ForgotDatabaseModule/s,
      );
      await boot(ImportsDatabaseModule);
    });

    it('fails a module that injects JobQueue without importing QueueModule', async () => {
      await expect(boot(ForgotQueueModule, { queuesNotConnected: true })).rejects.toThrow(
        /NeedsQueue.*JobQueue.*ForgotQueueModule/s,
      );
      await boot(ImportsQueueModule);
    });

    it("names the root's missing forRoot when the application gave no DataSource or queue backend", async () => {
      await expect(boot(ImportsDatabaseModule, { database: false, queue: false })).rejects.toThrow(
        "DatabaseModule.forRoot(dataSource) is not among the imports of the application's root module",
      );
      await expect(boot(ImportsQueueModule, { queue: false })).rejects.toThrow(
        "QueueModule.forRoot(backend) is not among the imports of the application's root module",
      );
    });
  });
});
