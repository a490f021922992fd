import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  ENV,
  type Env,
  JobHandler,
  JobQueue,
  QueueName,
  type JobHandlerOf,
  type JobPayloads,
  type JobResults,
} from '#libs/core';
import { Mailer, mailErrorCategory } from './mailer.js';
import { NoticeRepository } from './notice.repository.js';
import { RecallNoticeService } from './recall-notice.service.js';

/** The scheduler's id: upsertJobScheduler keeps one per id, however many workers upsert it. */
export const RECALL_SCHEDULER_ID = 'notice.recall_scan.daily';

/** Runs the recall scan (daily through the job scheduler, or when staff ask for it). */
@Injectable()
@JobHandler('notice.recall_scan')
export class RecallScanHandler implements JobHandlerOf<'notice.recall_scan'> {
  constructor(private readonly recall: RecallNoticeService) {}

  handle(payload: JobPayloads['notice.recall_scan']): Promise<JobResults['notice.recall_scan']> {
    return this.recall.scan(payload.asOf);
  }

  /** Never "done": a scan sends only what was not sent, so running one again is harmless. */
  alreadyDone(payloads: JobPayloads['notice.recall_scan'][]): Promise<boolean[]> {
    return Promise.resolve(payloads.map(() => false));
  }
}

/**
 * Sends one notice e-mail and keeps its delivery log: attempts, the next attempt's time, the last
 * error as a category. A failure throws so that BullMQ retries with exponential backoff; the last
 * attempt marks the delivery failed.
 */
@Injectable()
@JobHandler('notice.email')
export class EmailSendHandler implements JobHandlerOf<'notice.email'> {
  constructor(
    private readonly repository: NoticeRepository,
    private readonly mailer: Mailer,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async handle(
    { deliveryId }: JobPayloads['notice.email'],
    job: Job<JobPayloads['notice.email']>,
  ): Promise<JobResults['notice.email']> {
    const email = await this.repository.email(deliveryId);
    if (!email || email.state !== 'pending') return { skipped: email?.state ?? 'missing' };
    const attempts = email.attempts + 1;
    try {
      const outcome = await this.mailer.send({ to: email.recipients, subject: email.subject, text: email.body });
      const state = outcome.kind === 'sent' ? 'sent' : 'logged';
      await this.repository.updateEmail(deliveryId, {
        state,
        attempts,
        nextAttemptAt: null,
        messageId: outcome.kind === 'sent' ? outcome.messageId : null,
        settledAt: new Date(),
      });
      return { state };
    } catch (e) {
      const lastError = mailErrorCategory(e);
      const maxAttempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade + 1 >= maxAttempts;
      const delay = this.env.EMAIL_RETRY_DELAY_MS * 2 ** job.attemptsMade;
      await this.repository.updateEmail(deliveryId, {
        attempts,
        lastError,
        ...(final
          ? { state: 'failed', nextAttemptAt: null, settledAt: new Date() }
          : { nextAttemptAt: new Date(Date.now() + delay) }),
      });
      throw new Error(`notice e-mail ${deliveryId} failed: ${lastError}`);
    }
  }

  async alreadyDone(payloads: JobPayloads['notice.email'][]): Promise<boolean[]> {
    const open = await this.repository.pendingEmails(payloads.map((p) => p.deliveryId));
    return payloads.map((p) => !open.has(p.deliveryId));
  }
}

/**
 * Registers the daily recall scan with BullMQ's job scheduler when a worker starts. The scheduler
 * lives in the queue under one id, so every worker upserting it leaves exactly one. A queue that does
 * not answer at start-up does not hold the worker back: it tries again every minute until it succeeds.
 */
@Injectable()
export class RecallScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RecallNotices');
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: JobQueue,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    void this.schedule();
  }

  onModuleDestroy(): void {
    clearTimeout(this.retry);
  }

  private async schedule(): Promise<void> {
    try {
      await this.jobs.bounded('recall scan scheduler', () =>
        this.jobs
          .queue(QueueName.Notices)
          .upsertJobScheduler(
            RECALL_SCHEDULER_ID,
            { pattern: this.env.RECALL_SCAN_CRON, tz: 'Asia/Ho_Chi_Minh' },
            { name: 'notice.recall_scan', data: {} },
          ),
      );
      this.logger.log(`recall scan scheduled: "${this.env.RECALL_SCAN_CRON}" (Asia/Ho_Chi_Minh)`);
    } catch (e) {
      this.logger.warn(`recall scan not scheduled yet (${(e as Error).message}); trying again in a minute`);
      this.retry = setTimeout(() => void this.schedule(), 60_000);
      this.retry.unref();
    }
  }
}
