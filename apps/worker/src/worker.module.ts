import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ConfigModule,
  LoggingModule,
  QueueModule,
  QueueWorkersModule,
  SystemJobsModule,
  type Env,
  type QueueBackend,
} from '#libs/core';
import { dataSourceOptions } from '#libs/platform';

/** The queue worker: the same libraries as the API, bootstrapped without HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(env: Env, databaseUrl: string, backend: QueueBackend): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'worker'),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        QueueModule.forRoot(backend),
        QueueWorkersModule.forRoot(env.WORKER_CONCURRENCY),
        SystemJobsModule,
      ],
    };
  }
}
