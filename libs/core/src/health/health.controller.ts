import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { DependencyStateView, LiveView, ReadinessView } from './health.views.js';
import { Public } from '../access/access.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { QueueName } from '../queue/jobs.js';
import { QUEUE_BACKEND } from '../queue/queue.module.js';
import type { QueueBackend } from '../queue/queue-backend.js';

@ApiTags('health')
@ApiExtraModels(DependencyStateView)
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly jobs: JobQueue,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ type: LiveView })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Database and queue answer',
    description: '503 with `details` naming what is down (e.g. `queue: { status: "down" }`) when one does not.',
  })
  @ApiOkResponse({ type: ReadinessView, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({
    type: ReadinessView,
    description: 'A dependency is down: `error` and `details` name it',
  })
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.queueCheck()]);
    } catch (e) {
      // Terminus's own 503 body says which check failed; the problem filter would hide it as a bare 503.
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(503);
      return e.getResponse() as HealthCheckResult;
    }
  }

  private async queueCheck() {
    const indicator = this.indicators.check('queue');
    try {
      const counts = await this.jobs.bounded('health check', () =>
        this.jobs.queue(QueueName.System).getJobCounts('waiting', 'active', 'failed'),
      );
      return indicator.up({ backend: this.backend.kind, system: counts });
    } catch (e) {
      return indicator.down({ backend: this.backend.kind, message: e instanceof Error ? e.message : String(e) });
    }
  }
}
