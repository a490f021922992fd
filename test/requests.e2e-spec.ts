// The service-request workflow end to end: a business with a key submits 3 instruments for periodic verification
// (2 new, 1 registered), staff accept, schedule, receive and start them, the business follows every
// state and its HTTP receiver gets signed webhooks; another business's key sees none of it.
import { RequestItemWorkflow } from '#libs/requests';
import { Tx } from '#libs/core';
import { verifyWebhookSignature } from '#libs/webhooks';
import { DataSource } from 'typeorm';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import { as, expectStatus } from './support/http.js';
import {
  today,
  inDays,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
  createCustomer,
  createTechnician,
  createInstrumentType,
  createUsableStandard,
  type StaffSession,
} from './support/factories.js';

interface Item {
  id: string;
  ordinal: number;
  status: string;
  allowedTransitions: string[];
  instrument: { id: string; serialNumber: string };
}
interface Request {
  id: string;
  status: string;
  itemCount: number;
  itemStatusCounts: Record<string, number>;
  items: Item[];
}

describe('service requests: a business follows 3 instruments through the workflow', () => {
  let sys: TestSystem;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: StaffSession;
  let reception: StaffSession;
  let technician: StaffSession;
  let customer: { id: string; key: string };
  let other: { id: string; key: string };
  let secret: string;
  let typeId: string;
  let request: Request;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { WEBHOOK_RETRY_DELAY_MS: '50' } });
    receiver = await startWebhookReceiver();
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    // The centre: a fuel-dispenser type, a volume standard in calibration, an authorised technician.
    typeId = (await createInstrumentType(sys, admin, instrumentTypeBody({ measuredQuantity: 'volume', unit: 'L' }))).id;
    await createUsableStandard(sys, admin, { quantity: 'volume', unit: 'L' });
    technician = await createTechnician(sys, admin, [{ instrumentTypeId: typeId, service: 'verification_periodic' }]);
    // The customers: each with a key; ours registers a webhook endpoint with that key.
    customer = await createCustomer(sys);
    other = await createCustomer(sys);
    const endpoint = await expectStatus<{ secret: string }>(
      as(sys, customer)
        .post(`/organizations/${customer.id}/webhooks`)
        .send({ url: receiver.url, events: ['request.status_changed', 'item.status_changed'] }),
      201,
    );
    secret = endpoint.secret;
  });
  afterAll(async () => {
    await receiver?.close();
    await sys?.close();
  });

  const asCustomer = () => ({
    get: (path: string) => as(sys, customer).get(path),
    post: (path: string, body: object = {}) => as(sys, customer).post(path).send(body),
  });
  const asStaff = (token: string) => ({
    get: (path: string) => as(sys, { token }).get(path),
    post: (path: string, body: object = {}) => as(sys, { token }).post(path).send(body),
  });
  const itemStatuses = async (): Promise<string[]> =>
    (await expectStatus<Request>(asCustomer().get(`/requests/${request.id}`), 200)).items.map((i) => i.status);

  it('submits 3 instruments (1 registered, 2 new) for periodic verification with the business key', async () => {
    const registered = await expectStatus<{ id: string }>(
      asCustomer().post('/instruments', requestInstrumentBody(typeId, { serialNumber: 'CỘT-01' })),
      201,
    );
    request = await expectStatus<Request>(
      asCustomer().post('/requests', {
        organizationId: other.id, // ignored: a key always requests for its own organization
        place: 'lab',
        preferredDate: inDays(7),
        notes: 'Kiểm định định kỳ trước hạn',
        items: [
          { instrumentId: registered.id, service: 'verification_periodic' },
          { instrument: requestInstrumentBody(typeId, { serialNumber: 'CỘT-02' }), service: 'verification_periodic' },
          { instrument: requestInstrumentBody(typeId, { serialNumber: 'CỘT-03' }), service: 'verification_periodic' },
        ],
      }),
      201,
    );
    const organization = await expectStatus<{ name: string }>(asCustomer().get(`/organizations/${customer.id}`), 200);
    expect(request).toMatchObject({
      status: 'submitted',
      itemCount: 3,
      organization: { id: customer.id, name: organization.name },
      itemStatusCounts: { submitted: 3 },
      submittedBy: { kind: 'business' },
    });
    expect(request.items.map((i) => [i.ordinal, i.instrument.serialNumber, i.status])).toEqual([
      [0, 'CỘT-01', 'submitted'],
      [1, 'CỘT-02', 'submitted'],
      [2, 'CỘT-03', 'submitted'],
    ]);
    expect(request.items[0]!.instrument.id).toBe(registered.id);
    expect(request.items[0]!.allowedTransitions).toEqual(['accepted', 'rejected', 'cancelled']);
    // The new instruments are in the registry now, the business's own.
    const mine = await expectStatus<{ items: { serialNumber: string }[] }>(asCustomer().get('/instruments'), 200);
    expect(mine.items.map((i) => i.serialNumber).sort()).toEqual(['CỘT-01', 'CỘT-02', 'CỘT-03']);
  });

  it('lets the business list and read its request', async () => {
    const list = await expectStatus<{ items: { id: string; status: string }[] }>(asCustomer().get('/requests'), 200);
    expect(list.items).toEqual([expect.objectContaining({ id: request.id, status: 'submitted' })]);
    const item = await expectStatus<{ status: string; history: unknown[] }>(
      asCustomer().get(`/requests/${request.id}/items/${request.items[1]!.id}`),
      200,
    );
    expect(item).toMatchObject({ status: 'submitted', history: [] });
  });

  it('accepts after contract review: a usable standard and an authorised technician for every item', async () => {
    const review = await expectStatus<{ doable: number; cannotDo: number; date: string }>(
      asStaff(reception.token).get(`/requests/${request.id}/contract-review`),
      200,
    );
    expect(review).toMatchObject({ doable: 3, cannotDo: 0, date: inDays(7) });
    const accepted = await expectStatus<{ accepted: number; rejected: unknown[]; request: { status: string } }>(
      asStaff(reception.token).post(`/requests/${request.id}/accept`),
      200,
    );
    expect(accepted).toMatchObject({ accepted: 3, rejected: [], request: { status: 'accepted' } });
    expect(await itemStatuses()).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('schedules each item with the authorised technician, who sees them on the work list', async () => {
    for (const item of request.items) {
      const scheduled = await expectStatus<{ status: string; technicianId: string; scheduledDate: string }>(
        asStaff(reception.token).post(`/requests/${request.id}/items/${item.id}/schedule`, {
          technicianId: technician.userId,
          date: today(),
        }),
        200,
      );
      expect(scheduled).toMatchObject({ status: 'scheduled', technicianId: technician.userId, scheduledDate: today() });
    }
    const work = await expectStatus<{ items: { id: string; organization: { id: string } }[] }>(
      asStaff(technician.token).get('/requests/items?technician=me&status=scheduled'),
      200,
    );
    expect(work.items.map((i) => i.id).sort()).toEqual(request.items.map((i) => i.id).sort());
    expect(work.items[0]!.organization.id).toBe(customer.id);
    expect((await expectStatus<Request>(asCustomer().get(`/requests/${request.id}`), 200)).status).toBe('scheduled');
  });

  it('receives each item with a label and its condition, and the technician starts the work', async () => {
    for (const [n, item] of request.items.entries()) {
      await expectStatus(
        asStaff(reception.token).post(`/requests/${request.id}/items/${item.id}/receive`, {
          labelId: `TĐC-${request.id.slice(0, 8)}-${n}`,
          condition: 'Nguyên niêm phong',
        }),
        200,
      );
    }
    expect(await itemStatuses()).toEqual(['received', 'received', 'received']);
    const first = await expectStatus<{ status: string }>(
      asStaff(technician.token).post(`/requests/${request.id}/items/${request.items[0]!.id}/start`),
      200,
    );
    expect(first.status).toBe('in_progress');
    // The request is in progress as soon as its first item is.
    expect((await expectStatus<Request>(asCustomer().get(`/requests/${request.id}`), 200)).status).toBe('in_progress');
    for (const item of request.items.slice(1))
      await expectStatus(asStaff(technician.token).post(`/requests/${request.id}/items/${item.id}/start`), 200);
    expect(await itemStatuses()).toEqual(['in_progress', 'in_progress', 'in_progress']);
  });

  it('follows the items to the end: results approved and certificate issued (by the libraries), returned, closed', async () => {
    const workflow = sys.app.get(RequestItemWorkflow);
    const db = sys.app.get(DataSource);
    const calibrationLib = { kind: 'system' as const, name: 'calibration' };
    for (const item of request.items) {
      await db.transaction((m) => workflow.markResultsApproved(new Tx(m), item.id, calibrationLib));
      await db.transaction((m) =>
        workflow.markCertificateIssued(
          new Tx(m),
          item.id,
          { kind: 'system', name: 'certificates' },
          { certificateNumber: 'KĐ-1' },
        ),
      );
    }
    expect(await itemStatuses()).toEqual(['certificate_issued', 'certificate_issued', 'certificate_issued']);
    for (const item of request.items) {
      await expectStatus(asStaff(reception.token).post(`/requests/${request.id}/items/${item.id}/return`), 200);
      await expectStatus(asStaff(reception.token).post(`/requests/${request.id}/items/${item.id}/close`), 200);
    }
    const done = await expectStatus<Request>(asCustomer().get(`/requests/${request.id}`), 200);
    expect(done).toMatchObject({ status: 'completed', itemStatusCounts: { closed: 3 } });
  });

  it('records every transition (who, when, from, to) in the history and the audit trail', async () => {
    const history = await expectStatus<{
      items: { itemId: string | null; from: string | null; to: string; actor: { kind: string } }[];
    }>(asCustomer().get(`/requests/${request.id}/history?limit=200`), 200);
    const requestSteps = history.items.filter((h) => h.itemId === null).map((h) => [h.from, h.to]);
    expect(requestSteps).toEqual([
      [null, 'submitted'],
      ['submitted', 'accepted'],
      ['accepted', 'scheduled'],
      ['scheduled', 'in_progress'],
      ['in_progress', 'completed'],
    ]);
    const itemSteps = history.items.filter((h) => h.itemId === request.items[0]!.id).map((h) => h.to);
    expect(itemSteps).toEqual([
      'accepted',
      'scheduled',
      'received',
      'in_progress',
      'results_approved',
      'certificate_issued',
      'returned',
      'closed',
    ]);
    expect(history.items[0]!.actor.kind).toBe('business');
    const audit = await expectStatus<{ items: { action: string }[] }>(
      asStaff(admin.token).get(`/audit?entity=request_item&id=${request.items[0]!.id}`),
      200,
    );
    expect(audit.items.map((a) => a.action)).toEqual(itemSteps.map((s) => `status:${s}`));
  });

  it('delivered signed request and item webhooks to the business receiver', async () => {
    // 5 request changes + 8 changes for each of the 3 items.
    await eventually(async () => (receiver.received.length >= 5 + 3 * 8 ? true : undefined), 30000);
    const now = Math.floor(Date.now() / 1000);
    for (const hook of receiver.received) {
      expect(verifyWebhookSignature(secret, hook.body, String(hook.headers['x-tdc-signature']), now)).toBe(true);
      expect(hook.json.organizationId).toBe(customer.id);
    }
    const requestHooks = receiver.received.filter((h) => h.json.type === 'request.status_changed');
    expect(requestHooks.map((h) => h.json.data.to)).toEqual(
      expect.arrayContaining(['submitted', 'accepted', 'scheduled', 'in_progress', 'completed']),
    );
    const firstItem = receiver.received.filter(
      (h) => h.json.type === 'item.status_changed' && h.json.data.itemId === request.items[0]!.id,
    );
    expect(firstItem.map((h) => h.json.data.to).sort()).toEqual(
      [
        'accepted',
        'scheduled',
        'received',
        'in_progress',
        'results_approved',
        'certificate_issued',
        'returned',
        'closed',
      ].sort(),
    );
    expect(firstItem.find((h) => h.json.data.to === 'scheduled')!.json.data).toMatchObject({
      requestId: request.id,
      from: 'accepted',
      scheduledDate: today(),
    });
  });

  it("shows another business's key none of it", async () => {
    const asOther = (path: string) => as(sys, other).get(path);
    await expectStatus(asOther(`/requests/${request.id}`), 404);
    await expectStatus(asOther(`/requests/${request.id}/history`), 404);
    await expectStatus(asOther(`/requests/${request.id}/items/${request.items[0]!.id}`), 404);
    expect((await expectStatus<{ items: unknown[] }>(asOther('/requests'), 200)).items).toEqual([]);
    expect(
      (await expectStatus<{ items: unknown[] }>(asOther(`/requests?organization=${customer.id}`), 200)).items,
    ).toEqual([]);
    await expectStatus(as(sys, other).post(`/requests/${request.id}/cancel`).send({}), 404);
    await expectStatus(
      as(sys, other).post(`/requests/${request.id}/items/${request.items[0]!.id}/cancel`).send({}),
      404,
    );
    // Staff see every request.
    const all = await expectStatus<{ items: { id: string }[] }>(asStaff(admin.token).get('/requests'), 200);
    expect(all.items.map((r) => r.id)).toContain(request.id);
  });
});
