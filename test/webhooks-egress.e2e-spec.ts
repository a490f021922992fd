import { request as httpRequest } from 'node:http';
import { verifyWebhookSignature, WebhookSecretSealer } from '#libs/webhooks';
import { DataSource } from 'typeorm';
import { createCustomer } from './support/factories.js';
import { as, expectStatus, type Body } from './support/http.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** Addresses the audit registered with a business key (11 × accepted before the egress policy). */
const REFUSED: [url: string, addressClass: string | undefined][] = [
  ['https://169.254.169.254/latest/meta-data/', 'linkLocal'],
  ['https://10.0.0.1/', 'private'],
  ['https://192.168.1.1/admin', 'private'],
  ['https://100.64.0.1/', 'carrierGradeNat'],
  ['https://[::ffff:127.0.0.1]/', 'ipv4Mapped'],
  ['https://[::1]/', 'loopback'],
  ['https://[fd00::1]/hook', 'uniqueLocal'],
  ['https://[fe80::1]/hook', 'linkLocal'],
  // Resolves to 169.254.169.254 on a cloud host, to nothing here: refused either way (see below).
  ['https://metadata.google.internal/computeMetadata/v1/', undefined],
  // A name that resolves to loopback (/etc/hosts); the test system allows only the host 127.0.0.1.
  ['https://localhost/', 'loopback'],
  ['http://localhost:5432/', 'loopback'],
  ['http://127.0.0.2:8080/', 'loopback'],
];

function expectRefusal(body: Body, addressClass: string | undefined): void {
  expect(body).toMatchObject({ status: 422, code: 'webhook.url_refused', errors: [{ field: 'url' }] });
  if (addressClass) expect(body).toMatchObject({ reason: 'address_class', addressClass });
  else expect(['address_class', 'no_address']).toContain(body.reason);
  if (body.reason === 'address_class' && !addressClass) expect(body.addressClass).toBe('linkLocal');
}

/** A plain GET from the test itself: proves the address reaches the receiver when no policy is in the way. */
function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const r = httpRequest(url, { method: 'POST' }, (res) => {
      res.resume();
      resolve(true);
    });
    r.on('error', () => resolve(false));
    r.end('{}');
  });
}

describe('webhook egress policy (HTTP, as a business with its API key)', () => {
  let sys: TestSystem;
  let customer: { id: string; key: string };
  let receiver: Receiver;
  const hooks = () => `/organizations/${customer.id}/webhooks`;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { WEBHOOK_RETRY_DELAY_MS: '50', WEBHOOK_ATTEMPTS: '3' } });
    customer = await createCustomer(sys);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await sys?.close();
  });

  async function deliveredTest(id: string): Promise<Body> {
    const queued = await expectStatus<Body>(as(sys, customer).post(`${hooks()}/${id}/test`), 202);
    return eventually(async () => {
      const d = await expectStatus<Body>(as(sys, customer).get(`${hooks()}/${id}/deliveries/${queued.id}`), 200);
      return d.state === 'pending' ? undefined : d;
    });
  }

  it.each(REFUSED)('refuses %s at registration with 422 (%s)', async (url, addressClass) => {
    const body = await expectStatus<Body>(as(sys, customer).post(hooks(), { url, events: ['webhook.test'] }), 422);
    expectRefusal(body, addressClass);
  });

  it('refuses each of them at PATCH too, and keeps the URL that was there', async () => {
    const created = await expectStatus<Body>(
      as(sys, customer).post(hooks(), { url: receiver.url, events: ['webhook.test'] }),
      201,
    );
    for (const [url, addressClass] of REFUSED) {
      const body = await expectStatus<Body>(as(sys, customer).patch(`${hooks()}/${created.id}`, { url }), 422);
      expectRefusal(body, addressClass);
    }
    const after = await expectStatus<Body>(as(sys, customer).get(`${hooks()}/${created.id}`), 200);
    expect(after.url).toBe(receiver.url);
    const rows = (await sys.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM webhook_endpoint WHERE organization_id = $1`, [customer.id])) as {
      n: number;
    }[];
    expect(rows[0]?.n).toBe(1);
  });

  it('sends nothing when a stored URL is refused at delivery time, and logs only refused_by_policy', async () => {
    const port = new URL(receiver.url).port;
    // Rows the check never saw: written before the policy, or a name that resolves elsewhere now.
    for (const url of [`http://[::ffff:127.0.0.1]:${port}/hooks`, `http://localhost:${port}/hooks`]) {
      expect(await reachable(url)).toBe(true);
      const callsBefore = receiver.calls();
      const [row] = (await sys.app.get(DataSource).query(
        `INSERT INTO webhook_endpoint (organization_id, url, secret, events)
           VALUES ($1, $2, 'whsec_legacy', ARRAY['webhook.test']) RETURNING id`,
        [customer.id, url],
      )) as { id: string }[];
      const delivery = await deliveredTest(row!.id);
      expect(delivery).toMatchObject({
        state: 'failed',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'refused_by_policy',
        attemptLog: [{ attemptNo: 1, statusCode: null, error: 'refused_by_policy' }],
      });
      expect(receiver.calls()).toBe(callsBefore);
    }
  });

  it('delivers to an allow-listed receiver, signs with a secret that is stored only sealed', async () => {
    const created = await expectStatus<Body>(
      as(sys, customer).post(hooks(), { url: receiver.url, events: ['webhook.test'] }),
      201,
    );
    const secret = created.secret as string;
    const [row] = (await sys.app
      .get(DataSource)
      .query(`SELECT secret, secret_sealed FROM webhook_endpoint WHERE id = $1`, [created.id])) as {
      secret: string | null;
      secret_sealed: string;
    }[];
    expect(row?.secret).toBeNull();
    expect(row?.secret_sealed).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(row?.secret_sealed).not.toContain(secret.slice('whsec_'.length));

    const before = receiver.received.length;
    expect(await deliveredTest(created.id)).toMatchObject({ state: 'delivered', lastStatusCode: 204, lastError: null });
    const hook = receiver.received[before]!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(secret, hook.body, String(hook.headers['x-tdc-signature']), now)).toBe(true);

    const rotated = await expectStatus<Body>(as(sys, customer).post(`${hooks()}/${created.id}/rotate-secret`), 200);
    await deliveredTest(created.id);
    const next = receiver.received[before + 1]!;
    const signature = String(next.headers['x-tdc-signature']);
    expect(verifyWebhookSignature(rotated.secret, next.body, signature, now)).toBe(true);
    expect(verifyWebhookSignature(secret, next.body, signature, now)).toBe(false);
  });

  it('seals a plaintext secret left from before, which signs the same before and after', async () => {
    const db = sys.app.get(DataSource);
    const [row] = (await db.query(
      `INSERT INTO webhook_endpoint (organization_id, url, secret, events)
         VALUES ($1, $2, 'whsec_from_before_sealing', ARRAY['webhook.test']) RETURNING id`,
      [customer.id, receiver.url],
    )) as { id: string }[];
    const id = row!.id;
    const signedWith = async (): Promise<string> => {
      const before = receiver.received.length;
      expect(await deliveredTest(id)).toMatchObject({ state: 'delivered' });
      const hook = receiver.received[before]!;
      const now = Math.floor(Date.now() / 1000);
      return verifyWebhookSignature(
        'whsec_from_before_sealing',
        hook.body,
        String(hook.headers['x-tdc-signature']),
        now,
      )
        ? 'the old secret'
        : 'something else';
    };
    expect(await signedWith()).toBe('the old secret');

    expect((await sys.app.get(WebhookSecretSealer).sealAll()).sealed).toBeGreaterThanOrEqual(1);
    const [sealed] = (await db.query(`SELECT secret, secret_sealed FROM webhook_endpoint WHERE id = $1`, [id])) as {
      secret: string | null;
      secret_sealed: string | null;
    }[];
    expect(sealed).toMatchObject({ secret: null, secret_sealed: expect.stringMatching(/^v1:/) });
    expect(sealed?.secret_sealed).not.toContain('from_before_sealing');
    expect(await signedWith()).toBe('the old secret');
    // Idempotent: nothing is left to seal.
    expect(await sys.app.get(WebhookSecretSealer).sealAll()).toEqual({ sealed: 0, unreadable: 0 });
  });
});
