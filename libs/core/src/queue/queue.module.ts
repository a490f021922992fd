import { DynamicModule, Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { Env } from '../config/env.js';
import { ALL_QUEUES, QueueName } from './jobs.js';
import { JobQueue } from './job-queue.service.js';
import type { QueueBackend } from './queue-backend.js';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

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

/** Webhooks and notice e-mails retry as configured; other jobs 5 times from 2 s. */
function retryOptions(name: QueueName, env: Env): { attempts: number; backoff: { type: string; delay: number } } {
  if (name === QueueName.Webhooks)
    return { attempts: env.WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: env.WEBHOOK_RETRY_DELAY_MS } };
  if (name === QueueName.Notices)
    return { attempts: env.EMAIL_ATTEMPTS, backoff: { type: 'exponential', delay: env.EMAIL_RETRY_DELAY_MS } };
  return { attempts: 5, backoff: { type: 'exponential', delay: 2000 } };
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(backend: QueueBackend, env: Env): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot(backend.options),
        BullModule.registerQueue(
          ...ALL_QUEUES.map((name) => ({
            name,
            defaultJobOptions: {
              ...retryOptions(name, env),
              removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
              removeOnFail: { age: 30 * 24 * 3600 },
            },
          })),
        ),
      ],
      providers: [JobQueue, QueueErrorLogger, { provide: QUEUE_BACKEND, useValue: backend }],
      exports: [BullModule, JobQueue, QUEUE_BACKEND],
    };
  }
}
