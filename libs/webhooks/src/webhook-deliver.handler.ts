import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobHandler, type JobHandlerOf, type JobPayloads, type JobResults } from '#libs/core';
import { SIGNATURE_HEADER } from './events.js';
import { signWebhook } from './signature.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';

const TIMEOUT_MS = 10_000;

/** Delivers one event; a non-2xx answer or a network error throws, and BullMQ retries with exponential backoff. */
@Injectable()
@JobHandler('webhook.deliver')
export class WebhookDeliverHandler implements JobHandlerOf<'webhook.deliver'> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async handle(
    { deliveryId }: JobPayloads['webhook.deliver'],
    job: Job<JobPayloads['webhook.deliver']>,
  ): Promise<JobResults['webhook.deliver']> {
    const delivery = await this.db.getRepository(WebhookDelivery).findOneBy({ id: deliveryId });
    if (!delivery || delivery.state !== 'pending') return { skipped: delivery?.state ?? 'missing' };
    const endpoint = await this.db.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId });
    if (!endpoint || !endpoint.active) {
      await this.finish(delivery, 'failed', null, endpoint ? 'endpoint deactivated' : 'endpoint deleted');
      return { skipped: 'endpoint' };
    }
    const body = JSON.stringify(delivery.payload);
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'TDC-LIMS-Webhooks/1',
          'X-TDC-Event': delivery.eventType,
          'X-TDC-Delivery': delivery.id,
          'X-TDC-Event-Id': delivery.eventId,
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const attemptNo = delivery.attempts + 1;
    await this.db.transaction(async (m) => {
      await m.insert(WebhookAttempt, { deliveryId, attemptNo, statusCode, durationMs: Date.now() - started, error });
      await m.update(
        WebhookDelivery,
        { id: deliveryId },
        { attempts: attemptNo, lastStatusCode: statusCode, lastError: error },
      );
    });
    if (!error) {
      await this.finish(delivery, 'delivered', statusCode, null);
      return { delivered: true, statusCode };
    }
    const maxAttempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= maxAttempts) await this.finish(delivery, 'failed', statusCode, error);
    throw new Error(`webhook delivery ${deliveryId} failed: ${error}`);
  }

  /** Delivered or failed for good (or the delivery is gone): only a `pending` delivery still needs its job. */
  async alreadyDone(payloads: JobPayloads['webhook.deliver'][]): Promise<boolean[]> {
    const ids = payloads.map((p) => p.deliveryId);
    const rows = (await this.db.query(
      `SELECT id FROM webhook_delivery WHERE id = ANY($1::uuid[]) AND state = 'pending'`,
      [ids],
    )) as { id: string }[];
    const open = new Set(rows.map((r) => r.id));
    return ids.map((id) => !open.has(id));
  }

  private async finish(
    d: WebhookDelivery,
    state: 'delivered' | 'failed',
    statusCode: number | null,
    error: string | null,
  ): Promise<void> {
    await this.db.getRepository(WebhookDelivery).update(
      { id: d.id },
      {
        state,
        deliveredAt: state === 'delivered' ? new Date() : null,
        ...(statusCode !== null ? { lastStatusCode: statusCode } : {}),
        ...(error ? { lastError: error } : {}),
      },
    );
  }
}
