import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AccessGuard,
  ConfigModule,
  HealthModule,
  LoggingModule,
  ProblemDetailsFilter,
  QueueModule,
  SystemModule,
  type Env,
  type QueueBackend,
} from '#libs/core';
import { dataSourceOptions } from '#libs/platform';
import { AuthModule } from '#libs/auth';
import { RegistryModule } from '#libs/registry';

/** The HTTP application: infrastructure plus the domain modules. Nothing domain-specific lives here. */
@Module({})
export class AppModule {
  static forRoot(env: Env, databaseUrl: string, backend: QueueBackend): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'api'),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        QueueModule.forRoot(backend),
        HealthModule,
        SystemModule,
        RegistryModule,
        AuthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
