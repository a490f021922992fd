import { DynamicModule, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { givenByRoot } from '../runtime/given-by-root.js';
import { ALL_QUEUES, QueueName } from './jobs.js';
import { JobQueue } from './job-queue.service.js';
import type { QueueBackend } from './queue-backend.js';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

/** The process's queue backend as the app root gives it (QueueModule.forRoot); read only by QueueModule. */
const ROOT_QUEUE_BACKEND = Symbol('QueueModule.forRoot');

const rootBackend = (ref: ModuleRef): QueueBackend =>
  givenByRoot<QueueBackend>(ref, ROOT_QUEUE_BACKEND, 'QueueModule.forRoot(backend)');

/** Gives every queue an 'error' listener, so connection errors are logged instead of printed raw to stderr. */
@Injectable()
class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  constructor(private readonly jobs: JobQueue) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      this.jobs.queue(name).on('error', (e: Error) => this.logger.warn(`queue ${name}: ${e.message}`));
    }
  }
}

/** Webhooks and notice e-mails retry as configured; other jobs 5 times from QUEUE_RETRY_DELAY_MS (2 s). */
function retryOptions(name: QueueName, env: Env): { attempts: number; backoff: { type: string; delay: number } } {
  if (name === QueueName.Webhooks)
    return { attempts: env.WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: env.WEBHOOK_RETRY_DELAY_MS } };
  if (name === QueueName.Notices)
    return { attempts: env.EMAIL_ATTEMPTS, backoff: { type: 'exponential', delay: env.EMAIL_RETRY_DELAY_MS } };
  return { attempts: 5, backoff: { type: 'exponential', delay: env.QUEUE_RETRY_DELAY_MS } };
}

/** Every queue on the process's backend (its connection and prefix), with its retry and retention options. */
const QUEUES = BullModule.registerQueueAsync(
  ...ALL_QUEUES.map((name) => ({
    name,
    inject: [ModuleRef, ENV],
    useFactory: (ref: ModuleRef, env: Env) => ({
      ...rootBackend(ref).options,
      defaultJobOptions: {
        ...retryOptions(name, env),
        removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    }),
  })),
);

/** Holds the backend the app root was given; imported by the app root only, exports nothing. */
@Module({})
class QueueRootModule {}

/**
 * The queues: `JobQueue` (the typed producer) and QUEUE_BACKEND (which backend, its prefix). Not
 * global: the app root imports `QueueModule.forRoot(backend)` once (the backend is chosen before
 * Nest, in prepareRuntime), and every module that injects JobQueue or QUEUE_BACKEND, or runs the
 * queues' workers, imports `QueueModule`.
 */
@Module({
  imports: [QUEUES],
  providers: [JobQueue, QueueErrorLogger, { provide: QUEUE_BACKEND, inject: [ModuleRef], useFactory: rootBackend }],
  exports: [JobQueue, QUEUE_BACKEND],
})
export class QueueModule {
  /** The app root's import: the backend the process chose (configureQueueBackend); also gives the root what `QueueModule` gives. */
  static forRoot(backend: QueueBackend): DynamicModule {
    return {
      module: QueueRootModule,
      imports: [QueueModule],
      providers: [{ provide: ROOT_QUEUE_BACKEND, useValue: backend }],
      exports: [QueueModule],
    };
  }
}
