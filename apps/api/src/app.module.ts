import { DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '#libs/audit';
import {
  AccessGuard,
  ConfigModule,
  DatabaseModule,
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
import { AuthModule } from '#libs/auth';
import { CalibrationModule } from '#libs/calibration';
import { CertificatesModule } from '#libs/certificates';
import { NoticesModule } from '#libs/notices';
import { RegistryModule } from '#libs/registry';
import { RequestsModule } from '#libs/requests';
import { ReportingModule } from '#libs/reporting';
import { SearchModule } from '#libs/search';
import { CertificateSourcesModule } from '#libs/platform';
import { AnalysesModule, TestingModule } from '#libs/testing';
import { WebhooksModule } from '#libs/webhooks';

/** The HTTP application: infrastructure plus the domain modules. Nothing domain-specific lives here. */
@Module({})
export class AppModule {
  static forRoot(env: Env, dataSource: DataSource, backend: QueueBackend): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule.forRoot(env, 'api'),
        DatabaseModule.forRoot(dataSource),
        QueueModule.forRoot(backend),
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
        CertificatesModule.withSource(CertificateSourcesModule),
        SearchModule,
        ReportingModule,
        TestingModule,
        NoticesModule,
        AnalysesModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
