import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Env, QueueBackend } from '#libs/core';
import { WorkerModule } from './worker.module.js';

export async function createWorker(
  env: Env,
  databaseUrl: string,
  backend: QueueBackend,
): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, databaseUrl, backend), {
    bufferLogs: true,
  });
  ctx.useLogger(ctx.get(Logger));
  // No enableShutdownHooks(): main.ts owns the shutdown signals (see ProcessLifecycle in #libs/platform).
  return ctx;
}
