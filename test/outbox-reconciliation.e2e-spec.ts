import { DataSource } from 'typeorm';
import type { CertificateIssueView } from '#libs/certificates';
import { jobId, JobQueue } from '#libs/core';
import {
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

/**
 * The issue's scenario: 10 approvals whose jobs sit in Redis (no worker yet), then Redis forgets them
 * all (FLUSHALL on a Redis of this test's own). The outbox rows say "dispatched"; the reconciliation
 * of the worker that starts next finds each job gone and its certificate missing, and enqueues it again.
 * OUTBOX_RECONCILE_INTERVAL_MS is an hour: only the sweep a worker runs at start can be the one.
 */
describe('outbox reconciliation: Redis loses its jobs', () => {
  const N = 10;
  let redis: OwnRedis;
  let sys: TestSystem;
  let w: CertificateWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    receiver = await startWebhookReceiver();
    sys = await startTestSystem({ env: { REDIS_URL: redis.url, OUTBOX_RECONCILE_INTERVAL_MS: '3600000' } });
    w = await certificateWorld(sys);
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
    await redis?.stop();
    await receiver?.close();
  });

  const state = async (a: Approved): Promise<CertificateIssueView> =>
    (await as(sys, w.technician).get(`/certificate-issues/${a.revisionId}`).expect(200)).body as CertificateIssueView;

  it('gives every approved result exactly one certificate within one sweep, numbers gapless, and the status route tells the truth', async () => {
    // Their organization follows its items: every status change is a webhook delivery, queued too.
    const org = await createOrganization(sys);
    const hook = ok(
      await as(sys, w.admin).post(`/organizations/${org.id}/webhooks`, {
        url: receiver.url,
        events: ['item.status_changed'],
      }),
      'webhook',
    ) as Body;
    const approved: Approved[] = [];
    for (let i = 0; i < N; i++) approved.push(await approvedVerification(w, { organizationId: org.id }));
    const jobs = sys.app.get(JobQueue);
    for (const a of approved) {
      expect(await jobs.state('certificate.issue', jobId('certificate', a.revisionId))).toBe('waiting');
      expect(await state(a)).toMatchObject({ status: 'queued', job: { state: 'waiting' } });
    }

    await redis.flushAll();
    for (const a of approved) {
      expect(await jobs.state('certificate.issue', jobId('certificate', a.revisionId))).toBe('unknown');
      // Before: `not_requested`. The outbox row still asks for the certificate.
      expect(await state(a)).toMatchObject({ status: 'queued', job: null });
    }

    await sys.startWorker();
    const issued = await Promise.all(approved.map((a) => issueState(w, a.revisionId)));
    for (const s of issued) expect(s).toMatchObject({ status: 'issued' });

    const db = sys.app.get(DataSource);
    const rows = (await db.query(
      `SELECT result_revision_id, count(*)::int AS n FROM certificate WHERE result_revision_id = ANY($1::uuid[])
        GROUP BY result_revision_id`,
      [approved.map((a) => a.revisionId)],
    )) as { result_revision_id: string; n: number }[];
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const sequences = (
      (await db.query(`SELECT sequence FROM certificate WHERE kind = 'verification' ORDER BY sequence`)) as {
        sequence: number;
      }[]
    ).map((r) => r.sequence);
    expect(sequences).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    // One sweep: the rows were enqueued again and not settled yet (the next sweep would settle them as done).
    const outbox = (await db.query(
      `SELECT count(*)::int AS n FROM outbox_message WHERE job_name = 'certificate.issue' AND settled_at IS NULL`,
    )) as { n: number }[];
    expect(outbox[0]!.n).toBe(N);

    // Every delivery queued before the FLUSHALL (the items' way to results_approved) and after it
    // (certificate_issued) reaches the receiver, each once.
    const deliveries = async () =>
      (await db.query(`SELECT id, state FROM webhook_delivery WHERE endpoint_id = $1`, [hook.id])) as {
        id: string;
        state: string;
      }[];
    await eventually(async () => ((await deliveries()).every((d) => d.state === 'delivered') ? true : undefined));
    const all = await deliveries();
    const received = receiver.received.map((r) => String(r.headers['x-tdc-delivery']));
    expect(received.sort()).toEqual(all.map((d) => d.id).sort());
    const toIssued = receiver.received.filter((r) => r.json.data.to === 'certificate_issued');
    expect(toIssued).toHaveLength(N);
  }, 180_000);
});
