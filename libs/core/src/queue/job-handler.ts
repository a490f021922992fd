import { Injectable, SetMetadata, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import { ALL_JOBS, type JobName, type JobPayloads, type JobResults } from './jobs.js';

const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks the one class that carries out a job. */
export const JobHandler = (name: JobName): ClassDecorator => SetMetadata(JOB_HANDLER, name);

export interface JobHandlerOf<N extends JobName> {
  handle(payload: JobPayloads[N], job: Job<JobPayloads[N]>): Promise<JobResults[N]>;
  /**
   * For each payload, in order: whether its effect is there already, so the job needs no running
   * (the certificate exists, the delivery is settled…). The outbox reconciliation asks this before
   * it enqueues again a job the queue has lost; one query for the whole batch.
   */
  alreadyDone(payloads: JobPayloads[N][]): Promise<boolean[]>;
}

/** Finds every @JobHandler in the worker and refuses to boot on a job with no handler or two. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandlerOf<JobName>>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = new Map<JobName, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const name = Reflect.getMetadata(JOB_HANDLER, metatype) as JobName | undefined;
      if (!name) continue;
      found.set(name, [...(found.get(name) ?? []), metatype.name]);
      this.handlers.set(name, instance as JobHandlerOf<JobName>);
    }
    const problems: string[] = [];
    for (const name of ALL_JOBS) {
      const classes = found.get(name) ?? [];
      if (classes.length === 0) problems.push(`job "${name}" has no handler`);
      if (classes.length > 1) problems.push(`job "${name}" has ${classes.length} handlers (${classes.join(', ')})`);
    }
    for (const name of found.keys()) if (!ALL_JOBS.includes(name)) problems.push(`handler for unknown job "${name}"`);
    if (problems.length > 0) throw new Error(`Job handler registry: ${problems.join('; ')}`);
  }

  /** The handler's alreadyDone() for payloads of one job name (see JobHandlerOf). */
  async alreadyDone<N extends JobName>(name: N, payloads: JobPayloads[N][]): Promise<boolean[]> {
    const handler = this.handlers.get(name) as JobHandlerOf<N> | undefined;
    if (!handler) throw new Error(`no handler for job "${name}"`);
    return payloads.length === 0 ? [] : handler.alreadyDone(payloads);
  }

  async dispatch(job: Job): Promise<JobResults[JobName]> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    return handler.handle(job.data as JobPayloads[JobName], job);
  }
}
