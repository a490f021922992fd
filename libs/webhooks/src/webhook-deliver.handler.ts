import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  egressPost,
  EgressPolicy,
  EgressRefusedError,
  JobHandler,
  SecretBox,
  type EgressOutcome,
  type EgressTarget,
  type JobHandlerOf,
  type JobPayloads,
  type JobResults,
} from '#libs/core';
import { SIGNATURE_HEADER } from './events.js';
import { signWebhook } from './signature.js';
import { endpointSecret } from './webhook-secrets.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';
import { WebhookRepository } from './webhook.repository.js';

const TIMEOUT_MS = 10_000;

/**
 * What the delivery log keeps of an attempt: the status code, and a category in our own words
 * (`http_<status>`, `timeout`, `connection_refused`, `refused_by_policy`, …), never remote error text.
 */
interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  /** A refusal by the egress policy is final: no retry, nothing is sent. */
  final: boolean;
}

function attemptResult(outcome: EgressOutcome): AttemptResult {
  if (outcome.kind === 'failed') return { statusCode: null, error: outcome.category, final: false };
  const ok = outcome.statusCode >= 200 && outcome.statusCode < 300;
  return { statusCode: outcome.statusCode, error: ok ? null : `http_${outcome.statusCode}`, final: false };
}

/**
 * Delivers one event. The URL passes the egress policy again first (the name may resolve differently
 * now than at registration) and the request goes to the address that was checked; a refused URL is
 * marked failed at once and nothing is sent. A non-2xx answer or a network failure throws, and BullMQ
 * retries with exponential backoff.
 */
@Injectable()
@JobHandler('webhook.deliver')
export class WebhookDeliverHandler implements JobHandlerOf<'webhook.deliver'> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly egress: EgressPolicy,
    private readonly box: SecretBox,
  ) {}

  async handle(
    { deliveryId }: JobPayloads['webhook.deliver'],
    job: Job<JobPayloads['webhook.deliver']>,
  ): Promise<JobResults['webhook.deliver']> {
    const delivery = await this.db.getRepository(WebhookDelivery).findOneBy({ id: deliveryId });
    if (!delivery || delivery.state !== 'pending') return { skipped: delivery?.state ?? 'missing' };
    const endpoint = await this.db.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId });
    if (!endpoint || !endpoint.active) {
      await this.finish(delivery, 'failed', null, endpoint ? 'endpoint_inactive' : 'endpoint_deleted');
      return { skipped: 'endpoint' };
    }
    const started = Date.now();
    const result = await this.attempt(delivery, endpoint);
    const attemptNo = delivery.attempts + 1;
    await this.db.transaction(async (m) => {
      await m.insert(WebhookAttempt, { deliveryId, attemptNo, durationMs: Date.now() - started, ...pick(result) });
      await m.update(
        WebhookDelivery,
        { id: deliveryId },
        { attempts: attemptNo, lastStatusCode: result.statusCode, lastError: result.error },
      );
    });
    if (!result.error) {
      await this.finish(delivery, 'delivered', result.statusCode, null);
      return { delivered: true, statusCode: result.statusCode };
    }
    const maxAttempts = job.opts.attempts ?? 1;
    if (result.final || job.attemptsMade + 1 >= maxAttempts)
      await this.finish(delivery, 'failed', result.statusCode, result.error);
    if (result.final) return { skipped: result.error };
    throw new Error(`webhook delivery ${deliveryId} failed: ${result.error}`);
  }

  private async attempt(delivery: WebhookDelivery, endpoint: WebhookEndpoint): Promise<AttemptResult> {
    let target: EgressTarget;
    try {
      target = await this.egress.vet(endpoint.url);
    } catch (e) {
      if (!(e instanceof EgressRefusedError)) throw e;
      // A name with no address now may have one later: retried. Anything else the policy refuses is final.
      if (e.reason === 'no_address') return { statusCode: null, error: 'no_address', final: false };
      return { statusCode: null, error: 'refused_by_policy', final: true };
    }
    const body = JSON.stringify(delivery.payload);
    const outcome = await egressPost(target, {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'TDC-LIMS-Webhooks/1',
        'X-TDC-Event': delivery.eventType,
        'X-TDC-Delivery': delivery.id,
        'X-TDC-Event-Id': delivery.eventId,
        [SIGNATURE_HEADER]: signWebhook(endpointSecret(this.box, endpoint), body, Math.floor(Date.now() / 1000)),
      },
      body,
      timeoutMs: TIMEOUT_MS,
    });
    return attemptResult(outcome);
  }

  /** Delivered or failed for good (or the delivery is gone): only a `pending` delivery still needs its job. */
  async alreadyDone(payloads: JobPayloads['webhook.deliver'][]): Promise<boolean[]> {
    const ids = payloads.map((p) => p.deliveryId);
    const open = await this.webhooks.pendingDeliveries(ids);
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

function pick({ statusCode, error }: AttemptResult): Pick<AttemptResult, 'statusCode' | 'error'> {
  return { statusCode, error };
}
