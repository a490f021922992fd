import { DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  ConfigModule,
  DatabaseModule,
  LoggingModule,
  OutboxSweeperModule,
  QueueModule,
  QueueWorkersModule,
  SystemJobsModule,
  type Env,
  type QueueBackend,
  UnitOfWorkModule,
} from '#libs/core';
import { WebhookJobsModule } from '#libs/webhooks';
import { CertificateJobsModule } from '#libs/certificates';
import { NoticeJobsModule } from '#libs/notices';
import { CertificateSourcesModule } from '#libs/platform';

/** The queue worker: the same libraries as the API, bootstrapped without HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(env: Env, dataSource: DataSource, backend: QueueBackend): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'worker'),
        DatabaseModule.forRoot(dataSource),
        QueueModule.forRoot(backend),
        UnitOfWorkModule,
        QueueWorkersModule.forRoot({ concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.QUEUE_LOCK_DURATION_MS }),
        OutboxSweeperModule,
        SystemJobsModule,
        WebhookJobsModule,
        // Certificates come from approved calibration and verification results, test reports from test results.
        CertificateJobsModule.withSource(CertificateSourcesModule),
        // Recall notices (daily job scheduler) and notice e-mails.
        NoticeJobsModule,
      ],
    };
  }
}
