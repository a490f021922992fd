import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { AppLogger, type Env, type QueueBackend } from '#libs/core';
import { WorkerModule } from './worker.module.js';

export async function createWorker(
  env: Env,
  dataSource: DataSource,
  backend: QueueBackend,
): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, dataSource, backend), {
    bufferLogs: true,
  });
  ctx.useLogger(ctx.get(AppLogger));
  // No enableShutdownHooks(): main.ts owns the shutdown signals (see ProcessLifecycle in #libs/platform).
  return ctx;
}
