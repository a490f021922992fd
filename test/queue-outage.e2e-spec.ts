import type { CertificateIssueView } from '#libs/certificates';
import {
  approve,
  approvedVerification,
  certificateWorld,
  issueState,
  type Approved,
  type CertificateWorld,
} from './support/certificates.js';
import { createOrganization } from './support/factories.js';
import { as, ok, type Body } from './support/http.js';
import { startOwnRedis, type OwnRedis } from './support/redis.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const LIMIT_MS = 5000;

/** Sends a request and measures how long the answer took. */
async function timed<T extends { status: number }>(request: PromiseLike<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const res = await request;
  return Object.assign(res, { ms: Date.now() - started });
}

/**
 * Redis (the test's own) is stopped: nothing hangs, the routes whose whole purpose is to queue say
 * 503 `queue.unavailable` with Retry-After, approvals succeed (their jobs wait in the outbox), health
 * reports the queue down; once Redis is back (empty), the worker delivers everything.
 */
describe('while the queue is unreachable', () => {
  let redis: OwnRedis;
  let sys: TestSystem;
  let w: CertificateWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    receiver = await startWebhookReceiver();
    sys = await startTestSystem({
      worker: true,
      env: { REDIS_URL: redis.url, OUTBOX_RECONCILE_INTERVAL_MS: '1000', QUEUE_TIMEOUT_MS: '2000' },
    });
    w = await certificateWorld(sys);
  }, 60_000);
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await sys?.close();
    await redis?.stop();
    await receiver?.close();
  });

  it('answers within 5 s, refuses to queue with 503 + Retry-After, and loses nothing once Redis is back', async () => {
    const org = await createOrganization(sys);
    const hook = ok(
      await as(sys, w.admin).post(`/organizations/${org.id}/webhooks`, {
        url: receiver.url,
        events: ['item.status_changed', 'certificate.issued'],
      }),
      'webhook',
    ) as Body;
    const submitted: Approved[] = [];
    for (let i = 0; i < 3; i++)
      submitted.push(await approvedVerification(w, { organizationId: org.id, approve: false }));
    const before = receiver.received.length;

    await redis.stop();

    for (const a of submitted) {
      const res = await timed(approve(w, a.resultId, 1));
      expect({ status: res.status, fast: res.ms < LIMIT_MS }).toEqual({ status: 200, fast: true });
    }
    const refused = [
      await timed(as(sys, w.admin).post('/system/pings')),
      await timed(as(sys, w.admin).post(`/organizations/${org.id}/webhooks/${hook.id}/test`)),
      await timed(as(sys, w.admin).post(`/certificate-issues/${submitted[0]!.revisionId}/retry`)),
    ];
    for (const res of refused) {
      expect(res.ms).toBeLessThan(LIMIT_MS);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ status: 503, code: 'queue.unavailable' });
    }
    const status = await timed(as(sys, w.technician).get(`/certificate-issues/${submitted[0]!.revisionId}`));
    expect(status.ms).toBeLessThan(LIMIT_MS);
    expect(status.body).toMatchObject({ status: 'queued' });
    const health = await timed(sys.http().get('/health/ready'));
    expect(health.ms).toBeLessThan(LIMIT_MS);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ details: { queue: { status: 'down' }, database: { status: 'up' } } });
    // Nothing refused was written: no test delivery waits to go out later.
    const deliveries = ok(
      await as(sys, w.admin).get(`/organizations/${org.id}/webhooks/${hook.id}/deliveries`),
      'deliveries',
    ) as Body;
    expect(deliveries.items.filter((d: Body) => d.eventType === 'webhook.test')).toEqual([]);

    await redis.start();

    const issued: CertificateIssueView[] = [];
    for (const a of submitted) issued.push(await issueState(w, a.revisionId));
    expect(issued.map((s) => s.status)).toEqual(['issued', 'issued', 'issued']);
    // What the receiver got after the outage began: each approval's item change, each issue's own.
    const events = () =>
      receiver.received
        .slice(before)
        .map((r) => (r.json.type === 'item.status_changed' ? `item:${String(r.json.data.to)}` : r.json.type))
        .sort();
    const expected = [
      ...Array<string>(3).fill('certificate.issued'),
      ...Array<string>(3).fill('item:certificate_issued'),
      ...Array<string>(3).fill('item:results_approved'),
    ];
    await eventually(async () => (events().length >= expected.length ? true : undefined), 60_000);
    expect(events()).toEqual(expected);
    ok(await as(sys, w.admin).post('/system/pings'), 'ping once Redis is back');
  }, 180_000);
});
