import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { Env } from '../config/env.js';
import { ALL_QUEUES, QueueName } from './jobs.js';
import { JobQueue } from './job-queue.service.js';
import type { QueueBackend } from './queue-backend.js';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

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
              ...(name === QueueName.Webhooks
                ? {
                    attempts: env.WEBHOOK_ATTEMPTS,
                    backoff: { type: 'exponential', delay: env.WEBHOOK_RETRY_DELAY_MS },
                  }
                : { attempts: 5, backoff: { type: 'exponential', delay: 2000 } }),
              removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
              removeOnFail: { age: 30 * 24 * 3600 },
            },
          })),
        ),
      ],
      providers: [JobQueue, { provide: QUEUE_BACKEND, useValue: backend }],
      exports: [BullModule, JobQueue, QUEUE_BACKEND],
    };
  }
}
