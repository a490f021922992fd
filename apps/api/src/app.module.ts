import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '#libs/audit';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AccessGuard,
  ConfigModule,
  HealthModule,
  IdempotencyInterceptor,
  LoggingModule,
  OutboxModule,
  ProblemDetailsFilter,
  QueueModule,
  SystemModule,
  type Env,
  type QueueBackend,
  UnitOfWorkModule,
} from '#libs/core';
import { dataSourceOptions } from '#libs/platform';
import { AuthModule } from '#libs/auth';
import { CalibrationModule, CalibrationReadModule } from '#libs/calibration';
import { CertificatesModule } from '#libs/certificates';
import { RegistryModule } from '#libs/registry';
import { RequestsModule } from '#libs/requests';
import { WebhooksModule } from '#libs/webhooks';

/** The HTTP application: infrastructure plus the domain modules. Nothing domain-specific lives here. */
@Module({})
export class AppModule {
  static forRoot(env: Env, databaseUrl: string, backend: QueueBackend): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'api'),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, env.LOG_LEVEL !== 'silent')),
        QueueModule.forRoot(backend, env),
        OutboxModule,
        UnitOfWorkModule,
        HealthModule,
        SystemModule,
        AuditModule,
        RegistryModule,
        AuthModule,
        WebhooksModule,
        RequestsModule,
        CalibrationModule,
        CertificatesModule.withSource(CalibrationReadModule),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
