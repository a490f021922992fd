import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ConfigModule,
  LoggingModule,
  OutboxSweeperModule,
  QueueModule,
  QueueWorkersModule,
  SystemJobsModule,
  type Env,
  type QueueBackend,
  UnitOfWorkModule,
} from '#libs/core';
import { dataSourceOptions } from '#libs/platform';
import { WebhookJobsModule } from '#libs/webhooks';
import { CalibrationReadModule } from '#libs/calibration';
import { CertificateJobsModule } from '#libs/certificates';

/** The queue worker: the same libraries as the API, bootstrapped without HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(env: Env, databaseUrl: string, backend: QueueBackend): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'worker'),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, env.LOG_LEVEL !== 'silent')),
        QueueModule.forRoot(backend, env),
        UnitOfWorkModule,
        QueueWorkersModule.forRoot(env.WORKER_CONCURRENCY),
        OutboxSweeperModule,
        SystemJobsModule,
        WebhookJobsModule,
        // Certificates come from approved calibration and verification results.
        CertificateJobsModule.withSource(CalibrationReadModule),
      ],
    };
  }
}
