// Batch item actions: reception schedules 52 items in one call, a technician receives 50 in one call
// (idempotent under Idempotency-Key), one item in the wrong state refuses the whole batch and is
// named, nothing changed; return and close in batches; a business key gets 403 on every one.
import { RequestItemWorkflow } from '#libs/requests';
import { Tx } from '#libs/core';
import { DataSource } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, fields, ok, type Body } from './support/http.js';
import {
  createCustomer,
  createInstrumentType,
  createTechnician,
  createUsableStandard,
  instrumentTypeBody,
  requestInstrumentBody,
  staffSession,
  today,
  type StaffSession,
} from './support/factories.js';

const ITEMS = 52;

describe('batch item actions', () => {
  let sys: TestSystem;
  let db: DataSource;
  let reception: StaffSession;
  let technician: StaffSession;
  let customer: { id: string; key: string };
  let requestId: string;
  let itemIds: string[];
  const run = Date.now().toString(36);
  const label = (i: number) => `B-${run}-${i}`;
  const url = (action: string) => `/requests/${requestId}/items/${action}`;

  /** What the batch must not have touched, or must have written once per item. */
  const counts = async () => {
    const [row] = (await db.query(
      `SELECT (SELECT count(*)::int FROM request_history WHERE request_id = $1 AND item_id IS NOT NULL) AS history,
              (SELECT count(*)::int FROM audit_event WHERE entity = 'request_item' AND entity_id = ANY($2::text[])) AS audit,
              (SELECT count(*)::int FROM webhook_delivery WHERE event_type = 'item.status_changed'
                 AND payload->'data'->>'requestId' = $1::text) AS webhooks`,
      [requestId, itemIds],
    )) as { history: number; audit: number; webhooks: number }[];
    return row!;
  };
  const statuses = async (): Promise<string[]> =>
    (ok(await as(sys, reception).get(`/requests/${requestId}`), 'request').items as { status: string }[]).map(
      (i) => i.status,
    );

  beforeAll(async () => {
    sys = await startTestSystem();
    db = sys.app.get(DataSource);
    const admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    const typeId = (
      await createInstrumentType(sys, admin, instrumentTypeBody({ measuredQuantity: 'volume', unit: 'L' }))
    ).id as string;
    await createUsableStandard(sys, admin, { quantity: 'volume', unit: 'L' });
    technician = await createTechnician(sys, admin, [{ instrumentTypeId: typeId, service: 'verification_periodic' }]);
    customer = await createCustomer(sys);
    ok(
      await as(sys, customer).post(`/organizations/${customer.id}/webhooks`, {
        url: 'http://127.0.0.1:9/hooks',
        events: ['item.status_changed'],
      }),
      'webhook endpoint',
    );
    const request = ok(
      await as(sys, reception).post('/requests', {
        organizationId: customer.id,
        place: 'lab',
        items: Array.from({ length: ITEMS }, (_, i) => ({
          instrument: requestInstrumentBody(typeId, { serialNumber: `BATCH-${run}-${i}` }),
          service: 'verification_periodic',
        })),
      }),
      'submit',
    );
    requestId = request.id as string;
    itemIds = (request.items as { id: string }[]).map((i) => i.id);
    expect(ok(await as(sys, reception).post(`/requests/${requestId}/accept`, {}), 'accept').accepted).toBe(ITEMS);
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('refuses a business key on every batch action (403), as on the one-item routes', async () => {
    for (const action of ['schedule', 'receive', 'return', 'close']) {
      const body = await expectStatus(as(sys, customer).post(url(action), { items: [{ itemId: itemIds[0] }] }), 403);
      expect(body).toMatchObject({ code: 'access.denied' });
    }
  });

  it('validates the body: at least one item, at most 500, each field named items[i]…', async () => {
    const empty = await expectStatus(as(sys, reception).post(url('close'), { items: [] }), 400);
    expect(fields(empty)).toEqual(['items']);
    const tooMany = Array.from({ length: 501 }, () => ({ itemId: itemIds[0] }));
    expect(fields(await expectStatus(as(sys, reception).post(url('close'), { items: tooMany }), 400))).toEqual([
      'items',
    ]);
    const bad = await expectStatus(
      as(sys, reception).post(url('receive'), { items: [{ itemId: itemIds[0], labelId: 'L' }, { itemId: 'x' }] }),
      400,
    );
    expect(fields(bad)).toEqual(['items[0].condition', 'items[1].condition', 'items[1].itemId', 'items[1].labelId']);
  });

  it('schedules 51 items in one call as reception: one history row, audit entry and webhook each', async () => {
    const before = await counts();
    const res = await expectStatus<Body>(
      as(sys, reception).post(url('schedule'), {
        items: itemIds
          .slice(0, ITEMS - 1)
          .map((itemId) => ({ itemId, technicianId: technician.userId, date: today() })),
      }),
      200,
    );
    expect(res.items).toHaveLength(ITEMS - 1);
    expect(res.items[7]).toMatchObject({
      index: 7,
      itemId: itemIds[7],
      from: 'accepted',
      to: 'scheduled',
      item: { id: itemIds[7], status: 'scheduled', technicianId: technician.userId, scheduledDate: today() },
    });
    expect(res.request).toMatchObject({ id: requestId, status: 'scheduled' });
    const after = await counts();
    expect(after.history - before.history).toBe(ITEMS - 1);
    expect(after.audit - before.audit).toBe(ITEMS - 1);
    expect(after.webhooks - before.webhooks).toBe(ITEMS - 1);
    const work = ok(await as(sys, technician).get('/requests/items?technician=me&status=scheduled&limit=100'), 'work');
    expect(work.items).toHaveLength(ITEMS - 1);
  });

  it('refuses a batch with one item in the wrong state (409), names it, and changes nothing', async () => {
    const before = await counts();
    const items = itemIds.slice(0, 50).map((itemId, i) => ({ itemId, labelId: label(i), condition: 'Nguyên vẹn' }));
    items.push({ itemId: itemIds[ITEMS - 1]!, labelId: label(ITEMS - 1), condition: 'Nguyên vẹn' }); // still accepted
    const body = await expectStatus<Body>(as(sys, technician).post(url('receive'), { items }), 409);
    expect(body).toMatchObject({ code: 'request_item.batch_conflict', status: 409 });
    expect(body.items).toEqual([
      expect.objectContaining({
        index: 50,
        itemId: itemIds[ITEMS - 1],
        code: 'request_item.transition_not_allowed',
        from: 'accepted',
        to: 'received',
        allowed: ['scheduled', 'cancelled'],
      }),
    ]);
    expect(fields(body)).toEqual(['items[50]']);
    expect(await counts()).toEqual(before);
    expect(await statuses()).toEqual([...Array<string>(ITEMS - 1).fill('scheduled'), 'accepted']);
  });

  it('answers 422 naming every refused item when some are not in the request or sent twice', async () => {
    const body = await expectStatus<Body>(
      as(sys, technician).post(url('receive'), {
        items: [
          { itemId: itemIds[0], labelId: label(0), condition: 'ok' },
          { itemId: itemIds[1], labelId: label(0), condition: 'ok' }, // label given twice
          { itemId: itemIds[0], labelId: label(2), condition: 'ok' }, // item sent twice
          { itemId: '00000000-0000-4000-8000-000000000000', labelId: label(3), condition: 'ok' },
        ],
      }),
      422,
    );
    expect(body.code).toBe('request_item.batch_refused');
    expect(body.items.map((i: Body) => [i.index, i.code])).toEqual([
      [1, 'request_item.label_taken'],
      [2, 'request_item.duplicate_in_batch'],
      [3, 'request_item.not_found'],
    ]);
    expect(fields(body)).toEqual(['items[1].labelId', 'items[2]', 'items[3].itemId']);
    expect(await statuses()).not.toContain('received');
  });

  it('receives 50 items in one call as a technician; the same Idempotency-Key replays the answer', async () => {
    const before = await counts();
    const items = itemIds.slice(0, 50).map((itemId, i) => ({ itemId, labelId: label(i), condition: 'Nguyên vẹn' }));
    const key = `batch-receive-${run}`;
    const first = await as(sys, technician).post(url('receive'), { items }).set('Idempotency-Key', key);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: Body) => [i.from, i.to, i.item.labelId])).toEqual(
      items.map((i) => ['scheduled', 'received', i.labelId]),
    );
    const again = await as(sys, technician).post(url('receive'), { items }).set('Idempotency-Key', key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const after = await counts();
    expect([after.history - before.history, after.audit - before.audit, after.webhooks - before.webhooks]).toEqual([
      50, 50, 50,
    ]);
    // A label already on an item refuses a later receipt of another item (409, named).
    const taken = await expectStatus<Body>(
      as(sys, reception).post(url('receive'), { items: [{ itemId: itemIds[50], labelId: label(3), condition: 'ok' }] }),
      409,
    );
    expect(taken.items).toEqual([expect.objectContaining({ index: 0, code: 'request_item.label_taken' })]);
  });

  it('returns and closes in batches once certificates are issued', async () => {
    const workflow = sys.app.get(RequestItemWorkflow);
    const done = itemIds.slice(0, 5);
    for (const itemId of done) {
      ok(await as(sys, technician).post(`/requests/${requestId}/items/${itemId}/start`, {}), 'start');
      await db.transaction((m) => workflow.markResultsApproved(new Tx(m), itemId, { kind: 'system', name: 'test' }));
      await db.transaction((m) => workflow.markCertificateIssued(new Tx(m), itemId, { kind: 'system', name: 'test' }));
    }
    const returned = await expectStatus<Body>(
      as(sys, reception).post(url('return'), { items: done.slice(0, 3).map((itemId) => ({ itemId })) }),
      200,
    );
    expect(returned.items.map((i: Body) => i.to)).toEqual(['returned', 'returned', 'returned']);
    const closed = await expectStatus<Body>(
      as(sys, reception).post(url('close'), { items: done.map((itemId) => ({ itemId })) }),
      200,
    );
    expect(closed.items.map((i: Body) => `${i.from}→${i.to}`)).toEqual([
      ...Array<string>(3).fill('returned→closed'),
      ...Array<string>(2).fill('certificate_issued→closed'),
    ]);
    expect(closed.request.status).toBe('in_progress');
    // Closed is final: a second close is refused for each item.
    const again = await expectStatus<Body>(
      as(sys, reception).post(url('close'), { items: [{ itemId: done[0] }] }),
      409,
    );
    expect(again.items[0]).toMatchObject({ code: 'request_item.transition_not_allowed', from: 'closed', allowed: [] });
  });
});
