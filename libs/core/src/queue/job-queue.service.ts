import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, JobState, Queue } from 'bullmq';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { ServiceUnavailableError } from '../errors/domain-error.js';
import { JOB_QUEUE, type JobName, type JobPayloads, type JobResults, type QueueName } from './jobs.js';

/** What a client is told to wait before it tries again when the queue does not answer. */
export const QUEUE_RETRY_AFTER_SECONDS = 30;

/** The queue did not answer within QUEUE_TIMEOUT_MS: 503 `queue.unavailable` with Retry-After. */
export class QueueUnavailableError extends ServiceUnavailableError {
  constructor(what: string, timeoutMs: number) {
    super(
      'queue.unavailable',
      `The job queue did not answer within ${timeoutMs} ms (${what}); try again later`,
      QUEUE_RETRY_AFTER_SECONDS,
    );
  }
}

/**
 * Typed producer: the only way the application puts work on a queue. Every operation gives up after
 * QUEUE_TIMEOUT_MS with QueueUnavailableError: the BullMQ connection is made to wait for Redis
 * forever (ioredis keeps commands in its offline queue, `maxRetriesPerRequest: null`, which the
 * workers' blocking commands need), so without a deadline a request would hang while Redis is down.
 * A command that gave up may still run when Redis is back; every enqueue carries a deterministic job
 * id, so that late add is a no-op or the very job the outbox would have added.
 */
@Injectable()
export class JobQueue {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(ENV) private readonly env: Env,
  ) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** Runs a queue operation with the deadline; rejects with QueueUnavailableError when it is not met. */
  async bounded<T>(what: string, operation: () => Promise<T>): Promise<T> {
    const ms = this.env.QUEUE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new QueueUnavailableError(what, ms)), ms);
      timer.unref();
    });
    const running = operation();
    // A late rejection of an operation that already lost the race must not become an unhandled one.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fails fast with QueueUnavailableError unless the queue of `name` answers (for routes whose whole purpose is to enqueue). */
  async assertAvailable(name: JobName): Promise<void> {
    await this.bounded('availability', () => this.queue(JOB_QUEUE[name]).getJobCounts('waiting'));
  }

  /** Enqueues a job; give a deterministic `jobId` where a retry or a double click must not make a second job. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobsOptions = {},
  ): Promise<Job<JobPayloads[N]>> {
    return this.bounded(`add ${name}`, () => this.queue(JOB_QUEUE[name]).add(name, payload, options)) as Promise<
      Job<JobPayloads[N]>
    >;
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
      await this.bounded(`add ${batch.length} jobs`, () =>
        this.queue(queue).addBulk(batch.map((j) => ({ name: j.name, data: j.payload, opts: { jobId: j.jobId } }))),
      );
    }
  }

  /** The state of a job by id; `unknown` when the queue has no such job (never added, removed, or lost). */
  async state(name: JobName, id: string): Promise<JobState | 'unknown'> {
    return this.bounded(`state of ${id}`, () => this.queue(JOB_QUEUE[name]).getJobState(id));
  }

  /** A job by id, its payload and return value typed by its name (jobs.ts). */
  async job<N extends JobName>(name: N, id: string): Promise<Job<JobPayloads[N], JobResults[N], N> | undefined> {
    // The one place a stored job is typed: it was enqueued by name through enqueue() and run by that name's handler.
    return this.bounded(`job ${id}`, () => this.queue(JOB_QUEUE[name]).getJob(id)) as Promise<
      Job<JobPayloads[N], JobResults[N], N> | undefined
    >;
  }
}
