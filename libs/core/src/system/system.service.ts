import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundError } from '../errors/domain-error.js';
import { JobQueue, QueueUnavailableError } from '../queue/job-queue.service.js';
import { jobId } from '../queue/jobs.js';
import { Outbox } from '../outbox/outbox.service.js';
import { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import { SystemPing } from './system-ping.entity.js';

export class PingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The worker that processed it' }) processedBy!:
    string | null;
  @ApiProperty({ description: 'BullMQ job state (waiting, active, completed, failed, …)' }) jobState!: string;
}

@Injectable()
export class SystemService {
  constructor(
    @InjectRepository(SystemPing) private readonly pings: Repository<SystemPing>,
    private readonly jobs: JobQueue,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  /** The whole point is the queue round trip: 503 `queue.unavailable` (nothing written) when the queue does not answer. */
  async ping(): Promise<PingView> {
    await this.jobs.assertAvailable('system.ping');
    const ping = await this.uow.run(async (tx) => {
      const saved = await tx.manager.save(tx.manager.create(SystemPing, {}));
      await this.outbox.add(tx, 'system.ping', { pingId: saved.id }, jobId('ping', saved.id));
      return saved;
    });
    return this.view(ping);
  }

  async get(id: string): Promise<PingView> {
    const ping = await this.pings.findOneBy({ id });
    if (!ping) throw new NotFoundError('ping', id);
    return this.view(ping);
  }

  private async view(ping: SystemPing): Promise<PingView> {
    const job = await this.jobs.job('system.ping', jobId('ping', ping.id)).catch((e: unknown) => {
      if (e instanceof QueueUnavailableError) return undefined;
      throw e;
    });
    return {
      id: ping.id,
      requestedAt: ping.requestedAt.toISOString(),
      processedAt: ping.processedAt?.toISOString() ?? null,
      processedBy: ping.processedBy,
      jobState: job ? await job.getState() : ping.processedAt ? 'completed' : 'unknown',
    };
  }
}
