import { DynamicModule, Inject, Logger, Module, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ALL_QUEUES, type JobName, type JobResults, type QueueName } from './jobs.js';
import { JobHandlerRegistry } from './job-handler.js';
import { QueueModule } from './queue.module.js';

const workerLogger = new Logger('QueueWorker');

/** A worker's options: jobs at once, and its lock (QUEUE_LOCK_DURATION_MS; stalled jobs checked as often). */
export interface QueueWorkerOptions {
  concurrency: number;
  lockDurationMs: number;
}

function processorFor(queue: QueueName, { concurrency, lockDurationMs }: QueueWorkerOptions): Type<WorkerHost> {
  @Processor(queue, { concurrency, lockDuration: lockDurationMs, stalledInterval: lockDurationMs })
  class QueueProcessor extends WorkerHost {
    constructor(@Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry) {
      super();
    }

    async process(job: Job): Promise<JobResults[JobName]> {
      return this.registry.dispatch(job);
    }

    // Without a listener BullMQ prints connection errors (e.g. the database going away at shutdown) as raw stack traces.
    @OnWorkerEvent('error')
    onError(error: Error): void {
      workerLogger.warn(`worker ${queue}: ${error.message}`);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `QueueProcessor(${queue})` });
  return QueueProcessor;
}

/** One BullMQ worker per queue, dispatching each job by name to its @JobHandler. Worker process only. */
@Module({})
export class QueueWorkersModule {
  static forRoot(options: QueueWorkerOptions): DynamicModule {
    return {
      module: QueueWorkersModule,
      imports: [DiscoveryModule, QueueModule],
      providers: [JobHandlerRegistry, ...ALL_QUEUES.map((q) => processorFor(q, options))],
    };
  }
}
