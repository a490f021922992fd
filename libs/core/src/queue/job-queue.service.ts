import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, type JobName, type JobPayloads, type JobResults, type QueueName } from './jobs.js';

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

  /** enqueue() for many jobs: one round trip per queue (BullMQ addBulk), the same default options and job ids. */
  async enqueueMany(jobs: { name: JobName; payload: JobPayloads[JobName]; jobId: string }[]): Promise<void> {
    const byQueue = new Map<QueueName, typeof jobs>();
    for (const j of jobs) {
      const batch = byQueue.get(JOB_QUEUE[j.name]);
      if (batch) batch.push(j);
      else byQueue.set(JOB_QUEUE[j.name], [j]);
    }
    for (const [queue, batch] of byQueue) {
      await this.queue(queue).addBulk(batch.map((j) => ({ name: j.name, data: j.payload, opts: { jobId: j.jobId } })));
    }
  }

  /** A job by id, its payload and return value typed by its name (jobs.ts). */
  async job<N extends JobName>(name: N, id: string): Promise<Job<JobPayloads[N], JobResults[N], N> | undefined> {
    // The one place a stored job is typed: it was enqueued by name through enqueue() and run by that name's handler.
    return this.queue(JOB_QUEUE[name]).getJob(id) as Promise<Job<JobPayloads[N], JobResults[N], N> | undefined>;
  }
}
