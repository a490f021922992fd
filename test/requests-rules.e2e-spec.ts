// The rules around service requests, over HTTP: idempotent submission, validation that names the
// item, contract review with partial acceptance, refused transitions (409 naming the allowed ones),
// authorisation at scheduling, unique labels, cancellation by the customer.
import { ConflictError, Tx } from '#libs/core';
import { RequestItemWorkflow } from '#libs/requests';
import { DataSource } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';
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
  statusReason: string | null;
}
interface Request {
  id: string;
  status: string;
  items: Item[];
}
interface Problem {
  code: string;
  errors?: { field: string; message: string }[];
  allowed?: string[];
  from?: string;
  to?: string;
}

describe('service request rules', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let reception: StaffSession;
  let technician: StaffSession;
  let volumeType: string;
  let customer: { id: string; key: string };
  let other: { id: string; key: string };

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    volumeType = (
      await createInstrumentType(
        sys,
        admin,
        instrumentTypeBody({
          measuredQuantity: 'volume',
          unit: 'L',
          services: ['verification_periodic', 'calibration'],
        }),
      )
    ).id;
    await createUsableStandard(sys, admin, { quantity: 'volume', unit: 'L' });
    technician = await createTechnician(sys, admin, [
      { instrumentTypeId: volumeType, service: 'verification_periodic' },
    ]);
    customer = await createCustomer(sys);
    other = await createCustomer(sys);
  });
  afterAll(async () => sys?.close());

  const submit = (key: string, body: object, idempotencyKey?: string) => {
    const req = as(sys, { key }).post('/requests');
    return (idempotencyKey ? req.set('Idempotency-Key', idempotencyKey) : req).send(body);
  };
  const staffPost = (path: string, body: object = {}, token = reception.token) =>
    as(sys, { token }).post(path).send(body);
  const oneItem = (o: object = {}) => ({
    place: 'lab',
    items: [{ instrument: requestInstrumentBody(volumeType), service: 'verification_periodic' }],
    ...o,
  });
  const acceptedItem = async (): Promise<{ request: Request; item: Item }> => {
    const request = await expectStatus<Request>(submit(customer.key, oneItem()), 201);
    await expectStatus(staffPost(`/requests/${request.id}/accept`), 200);
    return { request, item: request.items[0]! };
  };

  describe('Idempotency-Key on POST /requests', () => {
    it('replays the first answer for the same body, and creates one request only', async () => {
      const body = oneItem({ notes: 'idempotent' });
      const first = await submit(customer.key, body, 'order-2025-0001');
      expect(first.status).toBe(201);
      const again = await submit(customer.key, body, 'order-2025-0001');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      // Byte for byte, keys in the order first sent (stored as json, not jsonb, which reorders keys).
      expect(again.text).toBe(first.text);
      const mine = await expectStatus<{ items: { notes: string | null }[] }>(
        as(sys, customer).get('/requests?limit=200'),
        200,
      );
      expect(mine.items.filter((r) => r.notes === 'idempotent')).toHaveLength(1);
    });

    it('answers 422 to the same key with another body', async () => {
      await expectStatus(submit(customer.key, oneItem({ notes: 'one' }), 'order-2025-0002'), 201);
      const problem = await expectStatus<Problem>(
        submit(customer.key, oneItem({ notes: 'two' }), 'order-2025-0002'),
        422,
      );
      expect(problem.code).toBe('idempotency.key_reused');
    });
  });

  describe('submission checks, naming the item', () => {
    it("refuses an item whose type does not offer the service (422), and registers none of the request's instruments", async () => {
      const problem = await expectStatus<Problem>(
        submit(customer.key, {
          place: 'lab',
          items: [
            {
              instrument: requestInstrumentBody(volumeType, { serialNumber: 'NOT-REGISTERED' }),
              service: 'calibration',
            },
            { instrument: requestInstrumentBody(volumeType), service: 'testing' },
          ],
        }),
        422,
      );
      expect(problem).toMatchObject({
        code: 'service_request.invalid_items',
        errors: [{ field: 'items[1].service', message: expect.stringMatching(/does not offer testing/) }],
      });
      const found = await expectStatus<{ items: unknown[] }>(
        as(sys, customer).get('/instruments?serial=NOT-REGISTERED'),
        200,
      );
      expect(found.items).toEqual([]);
    });

    it("answers another organization's instrument exactly like a missing one", async () => {
      const theirs = await expectStatus<{ id: string }>(
        as(sys, other).post('/instruments').send(requestInstrumentBody(volumeType)),
        201,
      );
      const foreign = await expectStatus<Problem>(
        submit(customer.key, { place: 'lab', items: [{ instrumentId: theirs.id, service: 'verification_periodic' }] }),
        422,
      );
      const missing = await expectStatus<Problem>(
        submit(customer.key, {
          place: 'lab',
          items: [{ instrumentId: '00000000-0000-4000-8000-000000000000', service: 'verification_periodic' }],
        }),
        422,
      );
      expect(foreign.errors).toEqual([
        { field: 'items[0].instrumentId', message: 'no instrument of this organization has this id' },
      ]);
      expect(missing.errors).toEqual(foreign.errors);
      expect(JSON.stringify(foreign)).not.toContain(other.id);
    });

    it('validates the new instrument with the registry rules, and the item shape (400 with paths)', async () => {
      const bad = await expectStatus<Problem>(
        submit(customer.key, {
          place: 'on_site',
          items: [
            {
              instrument: requestInstrumentBody(volumeType, { serialNumber: '', rangeMin: 'five' }),
              service: 'calibration',
            },
            {
              instrumentId: '00000000-0000-4000-8000-000000000000',
              instrument: requestInstrumentBody(volumeType),
              service: 'calibration',
            },
            {
              instrument: requestInstrumentBody(volumeType),
              service: 'verification_periodic',
              conformityStatementRequested: true,
            },
            {
              instrument: requestInstrumentBody(volumeType),
              service: 'calibration',
              conformityStatementRequested: true,
            },
            { instrument: { ...requestInstrumentBody(volumeType), ownerId: other.id }, service: 'calibration' },
          ],
        }),
        400,
      );
      const fields = bad.errors!.map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'siteAddress',
          'items[0].instrument.serialNumber',
          'items[0].instrument.rangeMin',
          'items[1].instrument',
          'items[2].conformityStatementRequested',
          'items[3].decisionRule',
          'items[4].instrument.ownerId',
        ]),
      );
      expect(await expectStatus<Problem>(submit(customer.key, { place: 'lab', items: [] }), 400)).toMatchObject({
        errors: [{ field: 'items' }],
      });
    });

    it('refuses a range the registry refuses, naming the item (400)', async () => {
      const problem = await expectStatus<Problem>(
        submit(customer.key, {
          place: 'lab',
          items: [
            { instrument: requestInstrumentBody(volumeType), service: 'verification_periodic' },
            {
              instrument: requestInstrumentBody(volumeType, { rangeMin: '10', rangeMax: '5' }),
              service: 'verification_periodic',
            },
          ],
        }),
        400,
      );
      expect(problem.errors).toEqual([{ field: 'items[1].instrument.rangeMax', message: expect.any(String) }]);
    });

    it('takes a calibration with a conformity statement under a decision rule, on site', async () => {
      const created = await expectStatus<{ place: string; siteAddress: string; items: object[] }>(
        submit(customer.key, {
          place: 'on_site',
          siteAddress: 'Cửa hàng xăng dầu số 5, Cam Ranh',
          preferredDate: today(),
          items: [
            {
              instrument: requestInstrumentBody(volumeType),
              service: 'calibration',
              conformityStatementRequested: true,
              decisionRule: 'guarded',
            },
          ],
        }),
        201,
      );
      expect(created).toMatchObject({
        place: 'on_site',
        siteAddress: 'Cửa hàng xăng dầu số 5, Cam Ranh',
        items: [{ service: 'calibration', conformityStatementRequested: true, decisionRule: 'guarded' }],
      });
    });

    it('refuses a preferred date in the past (422)', async () => {
      expect(
        await expectStatus<Problem>(submit(customer.key, oneItem({ preferredDate: inDays(-1) })), 422),
      ).toMatchObject({ errors: [{ field: 'preferredDate' }] });
    });

    it('lets reception submit for a walk-in customer, who must be named', async () => {
      const missing = await expectStatus<Problem>(staffPost('/requests', oneItem()), 400);
      expect(missing.errors).toEqual([{ field: 'organizationId', message: expect.any(String) }]);
      const walkIn = await expectStatus<{ organization: { id: string }; submittedBy: { kind: string; id: string } }>(
        staffPost('/requests', oneItem({ organizationId: customer.id })),
        201,
      );
      expect(walkIn).toMatchObject({
        organization: { id: customer.id },
        submittedBy: { kind: 'staff', id: reception.userId },
      });
      // A technician may not submit.
      const tech = await staffSession(sys, ['technician']);
      await expectStatus(staffPost('/requests', oneItem({ organizationId: customer.id }), tech.token), 403);
    });
  });

  describe('contract review', () => {
    it('names the items the centre cannot do and why, accepts the others and rejects those with the reasons', async () => {
      const massType = (
        await createInstrumentType(
          sys,
          admin,
          instrumentTypeBody({
            measuredQuantity: 'mass',
            unit: 'kg',
            services: ['verification_periodic'],
          }),
        )
      ).id;
      const pressureType = (
        await createInstrumentType(
          sys,
          admin,
          instrumentTypeBody({
            measuredQuantity: 'pressure',
            unit: 'MPa',
            services: ['verification_periodic'],
          }),
        )
      ).id;
      // A pressure standard whose calibration ran out yesterday; a technician authorised for pressure.
      await createUsableStandard(
        sys,
        admin,
        { quantity: 'pressure', unit: 'MPa' },
        { calibrationDate: inDays(-400), dueDate: inDays(-1) },
      );
      await createTechnician(sys, admin, [{ instrumentTypeId: pressureType, service: 'verification_periodic' }]);
      const request = await expectStatus<Request>(
        submit(customer.key, {
          place: 'lab',
          items: [
            { instrument: requestInstrumentBody(volumeType), service: 'verification_periodic' }, // doable
            { instrument: requestInstrumentBody(volumeType), service: 'calibration' }, // nobody authorised
            { instrument: requestInstrumentBody(massType, { rangeUnit: 'kg' }), service: 'verification_periodic' }, // no standard, nobody
            {
              instrument: requestInstrumentBody(pressureType, { rangeUnit: 'MPa', rangeMax: '6' }),
              service: 'verification_periodic',
            },
          ],
        }),
        201,
      );
      const review = await expectStatus<{
        doable: number;
        cannotDo: number;
        items: { ordinal: number; doable: boolean; findings: { code: string }[] }[];
      }>(as(sys, reception).get(`/requests/${request.id}/contract-review`), 200);
      expect(review).toMatchObject({ doable: 1, cannotDo: 3 });
      expect(review.items.map((i) => [i.ordinal, i.findings.map((f) => f.code)])).toEqual([
        [0, []],
        [1, ['no_authorised_technician']],
        [2, ['no_standard', 'no_authorised_technician']],
        [3, ['no_usable_standard']],
      ]);
      const result = await expectStatus<{
        accepted: number;
        rejected: { ordinal: number; findings: { code: string; message: string }[] }[];
        request: { status: string };
      }>(staffPost(`/requests/${request.id}/accept`), 200);
      expect(result.accepted).toBe(1);
      expect(result.request.status).toBe('accepted');
      expect(result.rejected.map((r) => r.ordinal)).toEqual([1, 2, 3]);
      expect(result.rejected[2]!.findings[0]!.message).toMatch(/calibration_overdue/);
      expect(result.rejected[2]!.findings[0]).toMatchObject({
        code: 'no_usable_standard',
        standards: [expect.objectContaining({ reasons: ['calibration_overdue'] })],
      });
      const after = await expectStatus<Request>(as(sys, customer).get(`/requests/${request.id}`), 200);
      expect(after.items.map((i) => i.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected']);
      expect(after.items[2]!.statusReason).toMatch(/^Contract review: the centre has no measurement standard of mass/);
    });

    it('ends a request rejected when none of its items can be done', async () => {
      const hardnessType = (
        await createInstrumentType(
          sys,
          admin,
          instrumentTypeBody({ measuredQuantity: 'hardness', services: ['calibration'] }),
        )
      ).id;
      const request = await expectStatus<Request>(
        submit(customer.key, {
          place: 'lab',
          items: [{ instrument: requestInstrumentBody(hardnessType), service: 'calibration' }],
        }),
        201,
      );
      const result = await expectStatus<{ accepted: number; request: { status: string } }>(
        staffPost(`/requests/${request.id}/accept`),
        200,
      );
      expect(result).toMatchObject({ accepted: 0, request: { status: 'rejected' } });
    });

    it('refuses testing on an instrument (422): testing is for samples, submitted through /testing/samples', async () => {
      const testingType = (
        await createInstrumentType(
          sys,
          admin,
          instrumentTypeBody({ measuredQuantity: 'hardness', services: ['testing'] }),
        )
      ).id;
      const problem = await expectStatus<Problem>(
        submit(customer.key, {
          place: 'lab',
          items: [{ instrument: requestInstrumentBody(testingType), service: 'testing' }],
        }),
        422,
      );
      expect(problem).toMatchObject({
        code: 'service_request.invalid_items',
        errors: [{ field: 'items[0].service', message: expect.stringMatching(/POST \/testing\/samples/) }],
      });
    });
  });

  describe('transitions', () => {
    it('needs a reason to reject (400), then refuses to accept a rejected request (409 with allowed)', async () => {
      const request = await expectStatus<Request>(submit(customer.key, oneItem()), 201);
      expect((await expectStatus<Problem>(staffPost(`/requests/${request.id}/reject`, {}), 400)).errors).toEqual([
        { field: 'reason', message: 'a rejection needs a reason (text of up to 2000 characters)', constraint: 'holds' },
      ]);
      await expectStatus(staffPost(`/requests/${request.id}/reject`, { reason: '   ' }), 400);
      await expectStatus(staffPost(`/requests/${request.id}/items/${request.items[0]!.id}/reject`, {}), 400);
      const rejected = await expectStatus<{ status: string }>(
        staffPost(`/requests/${request.id}/reject`, { reason: 'Ngoài phạm vi được công nhận' }),
        200,
      );
      expect(rejected.status).toBe('rejected');
      expect(await expectStatus<Problem>(staffPost(`/requests/${request.id}/accept`), 409)).toMatchObject({
        code: 'service_request.transition_not_allowed',
        from: 'rejected',
        to: 'accepted',
        allowed: [],
      });
      const item = await expectStatus<{ status: string; statusReason: string }>(
        as(sys, customer).get(`/requests/${request.id}/items/${request.items[0]!.id}`),
        200,
      );
      expect(item).toMatchObject({ status: 'rejected', statusReason: 'Ngoài phạm vi được công nhận' });
    });

    it('answers 409 naming the allowed transitions when a step is taken out of order', async () => {
      const { request, item } = await acceptedItem();
      const start = await expectStatus<Problem>(
        staffPost(`/requests/${request.id}/items/${item.id}/start`, {}, technician.token),
        409,
      );
      expect(start).toMatchObject({
        code: 'request_item.transition_not_allowed',
        from: 'accepted',
        to: 'in_progress',
        allowed: ['scheduled', 'cancelled'],
      });
      await expectStatus(
        staffPost(`/requests/${request.id}/items/${item.id}/receive`, { labelId: 'L-X', condition: 'ok' }),
        409,
      );
      await expectStatus(staffPost(`/requests/${request.id}/items/${item.id}/close`), 409);
    });

    it('schedules only an authorised technician, on a date not past (422)', async () => {
      const { request, item } = await acceptedItem();
      const path = `/requests/${request.id}/items/${item.id}/schedule`;
      const expired = await createTechnician(sys, admin, [
        {
          instrumentTypeId: volumeType,
          service: 'verification_periodic',
          validFrom: inDays(-30),
          validUntil: inDays(2),
        },
      ]);
      const wrongService = await createTechnician(sys, admin, [
        { instrumentTypeId: volumeType, service: 'calibration' },
      ]);
      for (const technicianId of [wrongService.userId, reception.userId, '00000000-0000-4000-8000-000000000000']) {
        expect(await expectStatus<Problem>(staffPost(path, { technicianId, date: today() }), 422)).toMatchObject({
          code: 'request_item.technician_not_authorised',
          errors: [{ field: 'technicianId' }],
        });
      }
      // Authorised today, but no longer on the date asked.
      await expectStatus(staffPost(path, { technicianId: expired.userId, date: inDays(5) }), 422);
      await expectStatus(staffPost(path, { technicianId: expired.userId, date: inDays(-1) }), 422);
      await expectStatus(staffPost(path, { technicianId: expired.userId, date: inDays(1) }), 200);
      // Rescheduling is a move too: to the centre's own technician, later.
      const moved = await expectStatus<{ technicianId: string; scheduledDate: string }>(
        staffPost(path, { technicianId: technician.userId, date: inDays(3) }),
        200,
      );
      expect(moved).toMatchObject({ technicianId: technician.userId, scheduledDate: inDays(3) });
    });

    it('keeps labels unique (409), and lets only the scheduled technician start (403)', async () => {
      const a = await acceptedItem();
      const b = await acceptedItem();
      for (const { request, item } of [a, b])
        await expectStatus(
          staffPost(`/requests/${request.id}/items/${item.id}/schedule`, {
            technicianId: technician.userId,
            date: today(),
          }),
          200,
        );
      const label = `LBL-${a.item.id.slice(0, 8)}`;
      await expectStatus(
        staffPost(`/requests/${a.request.id}/items/${a.item.id}/receive`, { labelId: label, condition: 'tốt' }),
        200,
      );
      expect(
        await expectStatus<Problem>(
          staffPost(`/requests/${b.request.id}/items/${b.item.id}/receive`, { labelId: label, condition: 'tốt' }),
          409,
        ),
      ).toMatchObject({ code: 'request_item.label_taken', errors: [{ field: 'labelId' }] });
      const someoneElse = await createTechnician(sys, admin, [
        { instrumentTypeId: volumeType, service: 'verification_periodic' },
      ]);
      expect(
        await expectStatus<Problem>(
          staffPost(`/requests/${a.request.id}/items/${a.item.id}/start`, {}, someoneElse.token),
          403,
        ),
      ).toMatchObject({ code: 'request_item.not_assigned' });
      await expectStatus(staffPost(`/requests/${a.request.id}/items/${a.item.id}/start`, {}, technician.token), 200);
    });

    it('lets the business cancel an item or its whole request while submitted or accepted, not later', async () => {
      const request = await expectStatus<Request>(
        submit(customer.key, {
          place: 'lab',
          items: [
            { instrument: requestInstrumentBody(volumeType), service: 'verification_periodic' },
            { instrument: requestInstrumentBody(volumeType), service: 'verification_periodic' },
          ],
        }),
        201,
      );
      const cancel = (path: string, body: object = {}) => as(sys, customer).post(path).send(body);
      const one = await expectStatus<{ status: string; statusReason: string }>(
        cancel(`/requests/${request.id}/items/${request.items[0]!.id}/cancel`, { reason: 'Đã bán' }),
        200,
      );
      expect(one).toMatchObject({ status: 'cancelled', statusReason: 'Đã bán' });
      await expectStatus(staffPost(`/requests/${request.id}/accept`), 200);
      const all = await expectStatus<{ status: string }>(cancel(`/requests/${request.id}/cancel`), 200);
      expect(all.status).toBe('cancelled');
      expect(await expectStatus<Problem>(cancel(`/requests/${request.id}/cancel`), 409)).toMatchObject({
        from: 'cancelled',
        allowed: [],
      });
      // Once scheduling has begun, the request is no longer cancelled as a whole.
      const { request: busy, item } = await acceptedItem();
      await expectStatus(
        staffPost(`/requests/${busy.id}/items/${item.id}/schedule`, { technicianId: technician.userId, date: today() }),
        200,
      );
      expect(await expectStatus<Problem>(cancel(`/requests/${busy.id}/cancel`), 409)).toMatchObject({
        from: 'scheduled',
      });
      expect(await expectStatus<Problem>(cancel(`/requests/${busy.id}/items/${item.id}/cancel`), 409)).toMatchObject({
        allowed: ['scheduled', 'received'],
      });
      // Businesses do not run the centre's steps.
      await expectStatus(cancel(`/requests/${busy.id}/accept`), 403);
      await expectStatus(
        cancel(`/requests/${busy.id}/items/${item.id}/receive`, { labelId: 'x', condition: 'y' }),
        403,
      );
    });

    it('leaves results_approved and certificate_issued to the libraries: not over HTTP, and checked', async () => {
      const doc = await expectStatus<{ paths: Record<string, unknown> }>(sys.http().get('/docs-json'), 200);
      const requestPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/requests'));
      expect(requestPaths.length).toBeGreaterThan(5);
      expect(requestPaths.filter((p) => /approv|certificate|result/i.test(p))).toEqual([]);
      const { item } = await acceptedItem();
      await expect(
        sys.app
          .get(DataSource)
          .transaction((m) =>
            sys.app
              .get(RequestItemWorkflow)
              .markResultsApproved(new Tx(m), item.id, { kind: 'system', name: 'calibration' }),
          ),
      ).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('lists', () => {
    it('pages requests newest first with a cursor, and filters by status and organization', async () => {
      const fresh = await createCustomer(sys);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await expectStatus<Request>(submit(fresh.key, oneItem()), 201)).id);
      await expectStatus(staffPost(`/requests/${ids[0]}/reject`, { reason: 'test' }), 200);
      const get = (q: string) =>
        expectStatus<{ items: { id: string; status: string }[]; nextCursor: string | null }>(
          as(sys, fresh).get(`/requests?${q}`),
          200,
        );
      const page1 = await get('limit=2');
      expect(page1.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      const page2 = await get(`limit=2&cursor=${page1.nextCursor}`);
      expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
      expect((await get('status=rejected')).items.map((r) => r.id)).toEqual([ids[0]]);
      const byStaff = await expectStatus<{ items: { id: string }[] }>(
        as(sys, admin).get(`/requests?organization=${fresh.id}&status=submitted`),
        200,
      );
      expect(byStaff.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      await expectStatus(as(sys, fresh).get('/requests?cursor=not-a-cursor'), 400);
    });
  });
});
