import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import {
  createOpenApiDocument,
  AppLogger,
  createValidationPipe,
  mountQueueDashboard,
  refuseDeepJson,
  refuseNulCharacters,
  trustProxy,
  type Env,
  type QueueBackend,
} from '#libs/core';
import { AppModule } from './app.module.js';
import { mountWebApp } from './web.js';

export async function createApi(env: Env, dataSource: DataSource, backend: QueueBackend): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, dataSource, backend), {
    bufferLogs: true,
  });
  app.useLogger(app.get(AppLogger));
  // X-Forwarded-For only from the proxies TRUST_PROXY names (validated at start-up); none by default.
  app.set('trust proxy', trustProxy(env.TRUST_PROXY));
  app.use(helmet({ contentSecurityPolicy: false }));
  // Both body parsers here (Nest would add urlencoded later), so the NUL check runs after both.
  // Nest's type omits `verify` because its rawBody option would replace it; rawBody is off here, and
  // the options reach body-parser as given (platform-express getBodyParserOptions).
  app.useBodyParser('json', { limit: '20mb', verify: refuseDeepJson } as NestExpressBodyParserOptionsFor<'json'>);
  app.useBodyParser('urlencoded', { extended: true });
  app.use(refuseNulCharacters);
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app);
  // No enableShutdownHooks(): main.ts owns the shutdown signals (see ProcessLifecycle in #libs/platform).
  const doc = apiDocument(app);
  SwaggerModule.setup('docs', app, doc, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, showExtensions: true },
  });
  // The staff web app at '/', never under an API route's first segment (taken from the document).
  mountWebApp(app, doc);
  return app;
}

/** The OpenAPI document of the application's routes, as /docs-json serves it (also `npm run api:types`). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return createOpenApiDocument(app, {
    title: 'TĐC LIMS API',
    description:
      'Laboratory information management for a provincial Standards–Metrology–Quality technical centre: ' +
      'measurement standards, instruments, verification (kiểm định), calibration (hiệu chuẩn), testing (thử nghiệm) and certificates. ' +
      'Errors are RFC 9457 problem details (application/problem+json, schema ProblemView). Staff authorise with a bearer ' +
      'token from POST /auth/login; a business with its X-Api-Key. Each operation says who may call it (**Access**).',
    version: '0.1.0',
  });
}
