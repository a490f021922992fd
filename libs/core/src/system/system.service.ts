import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundError } from '../errors/domain-error.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { jobId } from '../queue/jobs.js';
import { Outbox } from '../outbox/outbox.service.js';
import { SystemPing } from './system-ping.entity.js';

export interface PingView {
  id: string;
  requestedAt: string;
  processedAt: string | null;
  processedBy: string | null;
  jobState: string;
}

@Injectable()
export class SystemService {
  constructor(
    @InjectRepository(SystemPing) private readonly pings: Repository<SystemPing>,
    private readonly jobs: JobQueue,
    private readonly outbox: Outbox,
  ) {}

  async ping(): Promise<PingView> {
    const ping = await this.pings.manager.transaction(async (m) => {
      const saved = await m.save(m.create(SystemPing, {}));
      await this.outbox.add(m, 'system.ping', { pingId: saved.id }, jobId('ping', saved.id));
      return saved;
    });
    await this.outbox.flushQuietly();
    return this.view(ping);
  }

  async get(id: string): Promise<PingView> {
    const ping = await this.pings.findOneBy({ id });
    if (!ping) throw new NotFoundError('ping', id);
    return this.view(ping);
  }

  private async view(ping: SystemPing): Promise<PingView> {
    const job = await this.jobs.job('system.ping', jobId('ping', ping.id));
    return {
      id: ping.id,
      requestedAt: ping.requestedAt.toISOString(),
      processedAt: ping.processedAt?.toISOString() ?? null,
      processedBy: ping.processedBy,
      jobState: job ? await job.getState() : ping.processedAt ? 'completed' : 'unknown',
    };
  }
}
