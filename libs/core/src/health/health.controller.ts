import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-responses.js';
import { DependencyStateView, LiveView, ReadinessView } from './health.views.js';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../access/access.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { QueueName } from '../queue/jobs.js';
import { QUEUE_BACKEND } from '../queue/queue.module.js';
import type { QueueBackend } from '../queue/queue-backend.js';

const QUEUE_CHECK_TIMEOUT_MS = 2000;

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
  @ApiOperation({ summary: 'Database and queue answer' })
  @ApiOkResponse({ type: ReadinessView, description: 'Every dependency answers' })
  @ApiProblems(503)
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.queueCheck()]);
  }

  private async queueCheck() {
    const indicator = this.indicators.check('queue');
    try {
      const counts = await Promise.race([
        this.jobs.queue(QueueName.System).getJobCounts('waiting', 'active', 'failed'),
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error('timeout')), QUEUE_CHECK_TIMEOUT_MS).unref()),
      ]);
      return indicator.up({ backend: this.backend.kind, system: counts });
    } catch (e) {
      return indicator.down({ backend: this.backend.kind, message: e instanceof Error ? e.message : String(e) });
    }
  }
}
