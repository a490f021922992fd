import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { createValidationPipe, mountQueueDashboard, type Env, type QueueBackend } from '#libs/core';
import { AppModule } from './app.module.js';
import { mountWebApp } from './web.js';

export async function createApi(env: Env, databaseUrl: string, backend: QueueBackend): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, databaseUrl, backend), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.useBodyParser('json', { limit: '20mb' });
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app);
  // No enableShutdownHooks(): main.ts owns the shutdown signals (see ProcessLifecycle in #libs/platform).
  const doc = apiDocument(app);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  // The staff web app at '/', never under an API route's first segment (taken from the document).
  mountWebApp(app, doc);
  return app;
}

/** The OpenAPI document of the application's routes, as /docs-json serves it (also `npm run api:types`). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TĐC LIMS API')
      .setDescription(
        'Laboratory information management for a provincial Standards–Metrology–Quality technical centre: ' +
          'measurement standards, instruments, verification (kiểm định), calibration (hiệu chuẩn), testing (thử nghiệm) and certificates. ' +
          'Errors are RFC 9457 problem details (application/problem+json).',
      )
      .setVersion('0.1.0')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff access token' },
        'staff',
      )
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Business API key' }, 'business')
      .build(),
  );
}
