import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** Typed producer: the only way the application puts work on a queue. */
@Injectable()
export class JobQueue {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** Enqueues a job; give a deterministic `jobId` where a retry or a double click must not make a second job. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobsOptions = {},
  ): Promise<Job<JobPayloads[N]>> {
    return this.queue(JOB_QUEUE[name]).add(name, payload, options) as Promise<Job<JobPayloads[N]>>;
  }

  async job(name: JobName, id: string): Promise<Job | undefined> {
    return this.queue(JOB_QUEUE[name]).getJob(id);
  }
}
