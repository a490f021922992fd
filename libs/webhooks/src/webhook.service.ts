import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  EgressPolicy,
  EgressRefusedError,
  insertMany,
  jobId,
  JobQueue,
  NotFoundError,
  Outbox,
  SecretBox,
  toPage,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
  UnprocessableError,
} from '#libs/core';
import { OrganizationService } from '#libs/registry';
import type {
  CreateWebhookDto,
  DeliveryQuery,
  UpdateWebhookDto,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecretView,
} from './dto/webhook.dto.js';
import type { WebhookEventType } from './events.js';
import { secretContext } from './webhook-secrets.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';
import { WebhookRepository } from './webhook.repository.js';

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

function toView(e: WebhookEndpoint): WebhookView {
  return {
    id: e.id,
    organizationId: e.organizationId,
    url: e.url,
    events: e.events,
    description: e.description,
    active: e.active,
    createdAt: e.createdAt.toISOString(),
  };
}

@Injectable()
export class WebhookService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly egress: EgressPolicy,
    private readonly box: SecretBox,
    private readonly organizations: OrganizationService,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The egress policy (libs/core egress): https (http outside production), a host that resolves only
   * to public addresses unless EGRESS_ALLOW lets it through. Checked again at every delivery.
   */
  private async checkUrl(url: string): Promise<void> {
    try {
      await this.egress.vet(url);
    } catch (e) {
      if (!(e instanceof EgressRefusedError)) throw e;
      throw new UnprocessableError('webhook.url_refused', `The webhook URL is refused: ${e.message}`, {
        reason: e.reason,
        ...(e.addressClass ? { addressClass: e.addressClass } : {}),
        errors: [{ field: 'url', message: e.message }],
      });
    }
  }

  async create(organizationId: string, dto: CreateWebhookDto, principal: Principal): Promise<WebhookWithSecretView> {
    await this.organizations.find(organizationId, principal);
    await this.checkUrl(dto.url);
    const id = randomUUID();
    const secret = newSecret();
    const saved = await this.uow.run(async (tx) => {
      const repo = tx.manager.getRepository(WebhookEndpoint);
      const row = await repo.save(
        repo.create({
          id,
          organizationId,
          url: dto.url,
          events: dto.events,
          description: dto.description ?? null,
          secret: null,
          secretSealed: this.box.seal(secret, secretContext(id)),
        }),
      );
      await this.audited(tx, principal, 'create', undefined, row);
      return row;
    });
    return { ...toView(saved), secret };
  }

  /** The endpoint's audit entry: its public view before and after, never its secret. */
  private audited(
    tx: Tx,
    actor: Principal,
    action: 'create' | 'update' | 'rotate_secret' | 'delete',
    before: WebhookView | undefined,
    after: WebhookEndpoint | undefined,
  ): Promise<void> {
    const entityId = after?.id ?? before!.id;
    return this.audit.record(tx, {
      actor,
      entity: 'webhook_endpoint',
      entityId,
      action,
      before,
      after: after && toView(after),
    });
  }

  async list(organizationId: string, principal: Principal): Promise<WebhookView[]> {
    await this.organizations.find(organizationId, principal);
    const rows = await this.db
      .getRepository(WebhookEndpoint)
      .find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toView);
  }

  private async endpoint(organizationId: string, id: string, principal: Principal): Promise<WebhookEndpoint> {
    await this.organizations.find(organizationId, principal);
    const found = await this.db.getRepository(WebhookEndpoint).findOneBy({ id, organizationId });
    if (!found) throw new NotFoundError('webhook', id);
    return found;
  }

  async get(organizationId: string, id: string, principal: Principal): Promise<WebhookView> {
    return toView(await this.endpoint(organizationId, id, principal));
  }

  async update(organizationId: string, id: string, dto: UpdateWebhookDto, principal: Principal): Promise<WebhookView> {
    const e = await this.endpoint(organizationId, id, principal);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const before = toView(e);
    Object.assign(e, dto);
    return this.uow.run(async (tx) => {
      const saved = await tx.manager.getRepository(WebhookEndpoint).save(e);
      await this.audited(tx, principal, 'update', before, saved);
      return toView(saved);
    });
  }

  async rotateSecret(organizationId: string, id: string, principal: Principal): Promise<WebhookWithSecretView> {
    const e = await this.endpoint(organizationId, id, principal);
    const before = toView(e);
    const secret = newSecret();
    e.secret = null;
    e.secretSealed = this.box.seal(secret, secretContext(e.id));
    const saved = await this.uow.run(async (tx) => {
      const row = await tx.manager.getRepository(WebhookEndpoint).save(e);
      await this.audited(tx, principal, 'rotate_secret', before, row);
      return row;
    });
    return { ...toView(saved), secret };
  }

  async remove(organizationId: string, id: string, principal: Principal): Promise<void> {
    const e = await this.endpoint(organizationId, id, principal);
    await this.uow.run(async (tx) => {
      await tx.manager.getRepository(WebhookEndpoint).delete({ id: e.id });
      await this.audited(tx, principal, 'delete', toView(e), undefined);
    });
  }

  /**
   * Sends a `webhook.test` event to this endpoint only. Its whole purpose is the delivery, so when the
   * queue does not answer it is refused (503 `queue.unavailable`, nothing written) rather than left
   * for later.
   */
  async sendTest(organizationId: string, id: string, principal: Principal): Promise<WebhookDeliveryView> {
    const e = await this.endpoint(organizationId, id, principal);
    await this.jobs.assertAvailable('webhook.deliver');
    const [deliveryId] = await this.uow.run((tx) =>
      this.enqueue(tx, [e], 'webhook.test', organizationId, { message: 'Test event from TĐC LIMS' }),
    );
    return this.delivery(organizationId, id, deliveryId as string, principal);
  }

  /**
   * Publishes an event to every active endpoint of the organization that subscribed to it, inside the
   * caller's transaction (deliveries and their jobs commit with the change; the outbox flushes them
   * after it commits). Returns how many deliveries it queued.
   */
  async publish(
    tx: Tx,
    organizationId: string,
    type: WebhookEventType,
    data: Record<string, unknown>,
  ): Promise<number> {
    return this.publishMany(tx, organizationId, type, [data]);
  }

  /**
   * publish() for many events of one type at once (one event per entry of `events`, each with its own
   * event id): one query for the endpoints and multi-row INSERTs for the deliveries and their jobs,
   * so that a change to thousands of items of one request stays one short transaction.
   */
  async publishMany(
    tx: Tx,
    organizationId: string,
    type: WebhookEventType,
    events: Record<string, unknown>[],
  ): Promise<number> {
    if (events.length === 0) return 0;
    const endpoints = (await this.activeEndpoints(tx, organizationId)).filter((e) => e.events.includes(type));
    if (endpoints.length === 0) return 0;
    const createdAt = new Date().toISOString();
    const deliveries = events.flatMap((data) => {
      const payload = { id: randomUUID(), type, createdAt, organizationId, data };
      return endpoints.map((e) => ({
        id: randomUUID(),
        endpointId: e.id,
        eventId: payload.id,
        eventType: type,
        payload,
      }));
    });
    await insertMany(tx.manager, WebhookDelivery, deliveries);
    await this.outbox.addMany(
      tx,
      'webhook.deliver',
      deliveries.map((d) => ({ payload: { deliveryId: d.id }, jobId: jobId('webhook', d.id) })),
    );
    return deliveries.length;
  }

  /**
   * The organization's active endpoints, read once per transaction: a use case that publishes
   * several events (an item moved and a certificate issued) asks once. Endpoints change in
   * transactions of their own, so a publishing transaction uses the list as of its first publication.
   */
  private async activeEndpoints(tx: Tx, organizationId: string): Promise<WebhookEndpoint[]> {
    let ofTx = this.endpointsByTx.get(tx);
    if (!ofTx) this.endpointsByTx.set(tx, (ofTx = new Map()));
    let found = ofTx.get(organizationId);
    if (!found) {
      found = await this.webhooks.activeEndpoints(tx, organizationId);
      ofTx.set(organizationId, found);
    }
    return found;
  }

  private readonly endpointsByTx = new WeakMap<Tx, Map<string, WebhookEndpoint[]>>();

  private async enqueue(
    tx: Tx,
    endpoints: WebhookEndpoint[],
    type: WebhookEventType,
    organizationId: string,
    data: Record<string, unknown>,
  ): Promise<string[]> {
    const eventId = randomUUID();
    const payload = { id: eventId, type, createdAt: new Date().toISOString(), organizationId, data };
    const ids: string[] = [];
    for (const e of endpoints) {
      const delivery = await tx.manager.save(
        tx.manager.create(WebhookDelivery, { endpointId: e.id, eventId, eventType: type, payload }),
      );
      await this.outbox.add(tx, 'webhook.deliver', { deliveryId: delivery.id }, jobId('webhook', delivery.id));
      ids.push(delivery.id);
    }
    return ids;
  }

  async deliveries(
    organizationId: string,
    endpointId: string,
    query: DeliveryQuery,
    principal: Principal,
  ): Promise<Page<WebhookDeliveryView>> {
    await this.endpoint(organizationId, endpointId, principal);
    const rows = await this.webhooks.deliveries(endpointId, query);
    const attempts = await this.attempts(rows.map((r) => r.id));
    return toPage(
      rows,
      query.limit,
      (d) => [d.createdAt.toISOString(), d.id],
      (d) => this.deliveryView(d, attempts.get(d.id) ?? []),
    );
  }

  async delivery(
    organizationId: string,
    endpointId: string,
    deliveryId: string,
    principal: Principal,
  ): Promise<WebhookDeliveryView> {
    await this.endpoint(organizationId, endpointId, principal);
    const d = await this.db.getRepository(WebhookDelivery).findOneBy({ id: deliveryId, endpointId });
    if (!d) throw new NotFoundError('webhook delivery', deliveryId);
    return this.deliveryView(d, (await this.attempts([d.id])).get(d.id) ?? []);
  }

  private async attempts(deliveryIds: string[]): Promise<Map<string, WebhookAttempt[]>> {
    const map = new Map<string, WebhookAttempt[]>();
    if (deliveryIds.length === 0) return map;
    const rows = await this.db
      .getRepository(WebhookAttempt)
      .find({ where: { deliveryId: In(deliveryIds) }, order: { attemptNo: 'ASC' } });
    for (const a of rows) map.set(a.deliveryId, [...(map.get(a.deliveryId) ?? []), a]);
    return map;
  }

  private deliveryView(d: WebhookDelivery, attempts: WebhookAttempt[]): WebhookDeliveryView {
    return {
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      state: d.state,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      payload: d.payload,
      attemptLog: attempts.map((a) => ({
        attemptNo: a.attemptNo,
        attemptedAt: a.attemptedAt.toISOString(),
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        error: a.error,
      })),
    };
  }
}
