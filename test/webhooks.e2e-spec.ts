import { randomInt } from 'node:crypto';
import { AuditTrail } from '#libs/audit';
import { UnitOfWork, type Principal } from '#libs/core';
import { OrganizationService } from '#libs/registry';
import { verifyWebhookSignature, WebhookService } from '#libs/webhooks';
import { DataSource } from 'typeorm';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { TEST_SETUP } from './support/factories.js';

// Service-level: drives the publisher and the real worker against a real local HTTP receiver.
describe('webhooks (publisher → outbox → queue → worker → receiver)', () => {
  let sys: TestSystem;
  const admin: Principal = {
    kind: 'staff',
    userId: '00000000-0000-4000-8000-000000000001',
    username: 'admin',
    fullName: 'Admin',
    roles: ['admin'],
  };
  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { WEBHOOK_RETRY_DELAY_MS: '50', WEBHOOK_ATTEMPTS: '4' } });
  });
  afterAll(async () => sys?.close());

  async function organization(): Promise<string> {
    const org = await sys.app.get(OrganizationService).create(
      {
        name: 'Cửa hàng xăng dầu số 5',
        taxCode: String(randomInt(1_000_000_000, 9_999_999_999)),
        streetAddress: '1 Lê Lợi',
        province: 'Khánh Hòa',
      },
      TEST_SETUP,
    );
    return org.id;
  }

  async function publish(orgId: string, type: 'request.status_changed', data: Record<string, unknown>): Promise<void> {
    const webhooks = sys.app.get(WebhookService);
    await sys.app.get(UnitOfWork).run((tx) => webhooks.publish(tx, orgId, type, data));
  }

  it('delivers a subscribed event, signed with the endpoint secret over timestamp and body', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const orgId = await organization();
      const webhooks = sys.app.get(WebhookService);
      const endpoint = await webhooks.create(orgId, { url: receiver.url, events: ['request.status_changed'] }, admin);
      expect(endpoint.secret).toMatch(/^whsec_/);
      await publish(orgId, 'request.status_changed', { requestId: 'r-1', from: 'submitted', to: 'accepted' });
      const hook = await eventually(async () => receiver.received[0]);
      expect(hook.json).toMatchObject({
        type: 'request.status_changed',
        organizationId: orgId,
        data: { requestId: 'r-1', to: 'accepted' },
      });
      expect(hook.headers['x-tdc-event']).toBe('request.status_changed');
      const signature = String(hook.headers['x-tdc-signature']);
      expect(verifyWebhookSignature(endpoint.secret, hook.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhookSignature('whsec_wrong', hook.body, signature, Math.floor(Date.now() / 1000))).toBe(false);
      const log = await eventually(async () => {
        const page = await webhooks.deliveries(orgId, endpoint.id, { limit: 10 }, admin);
        return page.items[0]?.state === 'delivered' ? page : undefined;
      });
      expect(log.items[0]).toMatchObject({
        attempts: 1,
        lastStatusCode: 204,
        attemptLog: [{ attemptNo: 1, statusCode: 204, error: null }],
      });
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing endpoint with backoff and logs every attempt', async () => {
    const receiver = await startWebhookReceiver({ failFirst: 2 });
    try {
      const orgId = await organization();
      const webhooks = sys.app.get(WebhookService);
      const endpoint = await webhooks.create(orgId, { url: receiver.url, events: ['request.status_changed'] }, admin);
      await publish(orgId, 'request.status_changed', { requestId: 'r-2' });
      const delivered = await eventually(async () => {
        const page = await webhooks.deliveries(orgId, endpoint.id, { limit: 10 }, admin);
        return page.items[0]?.state === 'delivered' ? page.items[0] : undefined;
      });
      expect(delivered.attempts).toBe(3);
      expect(delivered.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 204]);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('writes each change to an endpoint to the audit trail, with its public view and never its secret', async () => {
    const orgId = await organization();
    const webhooks = sys.app.get(WebhookService);
    const created = await webhooks.create(orgId, { url: 'https://127.0.0.1/audited', events: ['webhook.test'] }, admin);
    await webhooks.update(orgId, created.id, { active: false }, admin);
    const rotated = await webhooks.rotateSecret(orgId, created.id, admin);
    await webhooks.remove(orgId, created.id, admin);
    const { items } = await sys.app.get(AuditTrail).list({ entity: 'webhook_endpoint', id: created.id, limit: 10 });
    expect(items.map((e) => [e.action, e.actor.id])).toEqual([
      ['create', admin.userId],
      ['update', admin.userId],
      ['rotate_secret', admin.userId],
      ['delete', admin.userId],
    ]);
    expect(items[0]!.before).toBeNull();
    expect(items[0]!.after).toMatchObject({ id: created.id, url: 'https://127.0.0.1/audited', active: true });
    expect(items[1]!.before).toMatchObject({ active: true });
    expect(items[1]!.after).toMatchObject({ active: false });
    expect(items[3]!.before).toMatchObject({ id: created.id });
    expect(items[3]!.after).toBeNull();
    const text = JSON.stringify(items);
    for (const secret of [created.secret, rotated.secret]) expect(text).not.toContain(secret);
  });

  it('marks a delivery failed after the last attempt', async () => {
    const receiver = await startWebhookReceiver({ failFirst: 100 });
    try {
      const orgId = await organization();
      const webhooks = sys.app.get(WebhookService);
      const endpoint = await webhooks.create(orgId, { url: receiver.url, events: ['request.status_changed'] }, admin);
      await publish(orgId, 'request.status_changed', { requestId: 'r-3' });
      const failed = await eventually(async () => {
        const page = await webhooks.deliveries(orgId, endpoint.id, { limit: 10 }, admin);
        return page.items[0]?.state === 'failed' ? page.items[0] : undefined;
      });
      expect(failed.attempts).toBe(4);
      expect(failed.lastError).toBe('http_500');
    } finally {
      await receiver.close();
    }
  });

  it('sends nothing to endpoints that did not subscribe or belong to another organization', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const orgA = await organization();
      const orgB = await organization();
      const webhooks = sys.app.get(WebhookService);
      await webhooks.create(orgA, { url: receiver.url, events: ['certificate.issued'] }, admin);
      await webhooks.create(orgB, { url: receiver.url, events: ['request.status_changed'] }, admin);
      await publish(orgA, 'request.status_changed', { requestId: 'r-4' });
      const [{ n }] = (await sys.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE e.organization_id = ANY($1)`,
          [[orgA, orgB]],
        )) as { n: number }[];
      expect(n).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('publishMany sends each event of a batch once per endpoint, each with its own event id', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const orgId = await organization();
      const webhooks = sys.app.get(WebhookService);
      await webhooks.create(orgId, { url: receiver.url, events: ['item.status_changed'] }, admin);
      await sys.app
        .get(UnitOfWork)
        .run((tx) =>
          webhooks.publishMany(tx, orgId, 'item.status_changed', [
            { itemId: 'i-1' },
            { itemId: 'i-2' },
            { itemId: 'i-3' },
          ]),
        );
      await eventually(async () => (receiver.received.length >= 3 ? true : undefined));
      expect(receiver.received.map((h) => h.json.data.itemId).sort()).toEqual(['i-1', 'i-2', 'i-3']);
      expect(new Set(receiver.received.map((h) => h.json.id)).size).toBe(3);
      expect(receiver.received.every((h) => h.json.type === 'item.status_changed')).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a URL whose host is not a public address and not allow-listed (422, naming the class)', async () => {
    const orgId = await organization();
    await expect(
      sys.app.get(WebhookService).create(orgId, { url: 'http://localhost:5432/', events: ['webhook.test'] }, admin),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'webhook.url_refused',
      details: { reason: 'address_class', addressClass: 'loopback', errors: [{ field: 'url' }] },
    });
  });
});
