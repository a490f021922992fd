import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import { JobHandler, type JobHandlerOf } from '../queue/job-handler.js';
import type { JobPayloads, JobResults } from '../queue/jobs.js';
import { SystemPing } from './system-ping.entity.js';

@Injectable()
@JobHandler('system.ping')
export class SystemPingHandler implements JobHandlerOf<'system.ping'> {
  constructor(@InjectRepository(SystemPing) private readonly pings: Repository<SystemPing>) {}

  async handle({ pingId }: JobPayloads['system.ping']): Promise<JobResults['system.ping']> {
    // Idempotent: a retried job finds the row already processed and leaves it as it is.
    await this.pings.update(
      { id: pingId, processedAt: IsNull() },
      { processedAt: new Date(), processedBy: `${hostname()}:${process.pid}` },
    );
    return { pong: true };
  }

  /** Processed, or no such ping (nothing left to do). */
  async alreadyDone(payloads: JobPayloads['system.ping'][]): Promise<boolean[]> {
    const ids = payloads.map((p) => p.pingId);
    const open = new Set(
      (await this.pings.find({ select: { id: true }, where: { id: In(ids), processedAt: IsNull() } })).map((p) => p.id),
    );
    return ids.map((id) => !open.has(id));
  }
}
