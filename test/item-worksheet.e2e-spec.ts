import { randomUUID } from 'node:crypto';
import { certificateWorld, type CertificateWorld } from './support/certificates.js';
import {
  benchItem,
  businessKey,
  createInstrument,
  createOrganization,
  staffSession,
  today,
  type StaffSession,
} from './support/factories.js';
import { as, expectStatus, ok, type Body } from './support/http.js';
import { startTestSystem, type TestSystem } from './support/system.js';

/**
 * GET /requests/{id}/items/{itemId}/worksheet: the worksheet's four reads in one (the item, the active
 * template of its type for its service, that template filled for the instrument today, the item's
 * result with its current revision), each equal to what its own route answers.
 */
describe("a request item's worksheet in one read", () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let organizationId: string;
  let received: { requestId: string; itemId: string };
  let instrumentId: string;

  const path = (requestId: string, itemId: string) => `/requests/${requestId}/items/${itemId}/worksheet`;
  const read = (who: StaffSession | { key: string }, requestId: string, itemId: string) =>
    as(sys, who).get(path(requestId, itemId));

  /** A request of one item for this instrument and service, submitted by the admin (nothing else done). */
  async function submitted(instrument: string, service: string): Promise<{ requestId: string; itemId: string }> {
    const request = ok(
      await as(sys, w.admin).post('/requests', {
        organizationId,
        place: 'lab',
        items: [{ instrumentId: instrument, service }],
      }),
      'submit request',
    );
    return { requestId: request.id, itemId: request.items[0].id };
  }

  beforeAll(async () => {
    sys = await startTestSystem({ seedCatalogue: true });
    w = await certificateWorld(sys);
    organizationId = (await createOrganization(sys)).id;
    instrumentId = (await createInstrument(sys, w.admin, organizationId, w.fuelType.id, { resolution: '0.01' })).id;
    received = await benchItem(sys, w.admin, {
      organizationId,
      instrumentId,
      service: 'verification_periodic',
      technician: w.technician,
    });
  });
  afterAll(async () => sys?.close());

  it('gives the technician the item, its template and the sheet filled today, as their own routes do', async () => {
    const { requestId, itemId } = received;
    const all = ok(await read(w.technician, requestId, itemId), 'worksheet of the item');
    const tech = as(sys, w.technician);
    expect(all.item).toEqual(ok(await tech.get(`/requests/${requestId}/items/${itemId}`), 'item'));
    expect(all.template).toEqual(ok(await tech.get(`/calibration-templates/${w.template.id}`), 'template'));
    const sheet = ok(
      await tech.get(`/calibration-templates/${w.template.id}/worksheet?instrumentId=${instrumentId}`),
      'sheet',
    );
    expect(all.sheet).toEqual(sheet);
    expect(all.sheet).toMatchObject({ templateId: w.template.id, instrumentId, on: today() });
    expect(all.sheet.points).toHaveLength(2);
    expect(all.result).toBeNull();
  });

  it("gives the item's result with its current revision once one is recorded, for reviewer and admin too", async () => {
    const { requestId, itemId } = received;
    const recorded = ok(
      await as(sys, w.technician).post('/results', {
        requestItemId: itemId,
        templateId: w.template.id,
        measuredOn: today(),
        place: 'Phòng thí nghiệm Dung tích',
        environment: { temperature: '25' },
        points: [
          { nominal: '20', referenceValue: '20.000', readings: ['20.04', '20.06', '20.05'] },
          { nominal: '20', referenceValue: '19.998', readings: ['20.03', '20.02', '20.04'] },
        ],
      }),
      'record result',
    );
    const revised = ok(
      await as(sys, w.technician).post(`/results/${recorded.id}/revisions`, {
        reason: 'Nhập nhầm nhiệt độ',
        environment: { temperature: '26' },
      }),
      'revise result',
    );
    const listed = ok(await as(sys, w.technician).get(`/results?requestItemId=${itemId}`), 'results of the item');
    for (const who of [w.technician, w.reviewer, w.admin]) {
      const all = ok(await read(who, requestId, itemId), 'worksheet of the item');
      expect(all.result).toEqual({ ...listed.items[0], revision: revised.revision });
      expect(all.result).toMatchObject({ id: recorded.id, status: 'draft', currentRevision: 2 });
      expect(all.result.revision).toMatchObject({ revision: 2, environment: { temperature: '26' } });
      expect(all.item.status).toBe('in_progress'); // recording started the work
    }
  });

  it('answers null template and sheet when the type has no active template for the service', async () => {
    // The fuel template is for periodic verification only; an initial verification has none.
    const initial = await submitted(instrumentId, 'verification_initial');
    const none = ok(await read(w.technician, initial.requestId, initial.itemId), 'worksheet without template');
    expect(none).toMatchObject({ template: null, sheet: null, result: null });
    expect(none.item).toMatchObject({ id: initial.itemId, service: 'verification_initial', status: 'submitted' });
    // A template that is not active does not count either.
    const other = await submitted(instrumentId, 'verification_after_repair');
    const inactive = ok(
      await as(sys, w.admin).post('/calibration-templates', {
        instrumentTypeId: w.fuelType.id,
        name: 'Sau sửa chữa (cũ)',
        services: ['verification_after_repair'],
        procedureCode: 'ĐLVN 10',
        unit: 'L',
        points: [{ nominal: '20', readings: 3 }],
        components: [{ kind: 'type_a_readings', name: 'repeatability' }],
      }),
      'template for after repair',
    );
    const active = ok(await read(w.technician, other.requestId, other.itemId), 'worksheet, template active');
    expect(active.template).toMatchObject({ id: inactive.id, active: true });
    expect(active.sheet).toMatchObject({ templateId: inactive.id, instrumentId });
    ok(await as(sys, w.admin).patch(`/calibration-templates/${inactive.id}`, { active: false }), 'deactivate');
    const after = ok(await read(w.technician, other.requestId, other.itemId), 'worksheet, template inactive');
    expect(after).toMatchObject({ template: null, sheet: null, result: null });
  });

  it('answers null template and sheet for a test sample (no instrument)', async () => {
    const owner = await businessKey(sys, organizationId);
    const sample = await expectStatus<Body>(
      as(sys, { key: owner }).post('/testing/samples', {
        samples: [
          {
            productCode: 'gasoline',
            level: '3',
            grade: '95',
            lot: 'Lô 2611-03',
            quantity: 2,
            quantityUnit: 'L',
            packaging: '2 chai thủy tinh 1 L',
            sampling: { by: 'customer' },
          },
        ],
      }),
      201,
    );
    const itemId = sample.samples[0].itemId as string;
    const all = ok(await read(w.technician, sample.request.id, itemId), 'worksheet of a sample');
    expect(all).toMatchObject({ item: { id: itemId, instrument: null }, template: null, sheet: null, result: null });
  });

  it('answers 404 for an unknown request, an unknown item, and an item of another request', async () => {
    const { requestId, itemId } = received;
    const other = await submitted(instrumentId, 'verification_periodic');
    const cases = [
      [randomUUID(), itemId, 'service_request.not_found'],
      [requestId, randomUUID(), 'request_item.not_found'],
      [other.requestId, itemId, 'request_item.not_found'],
      [requestId, other.itemId, 'request_item.not_found'],
    ] as const;
    for (const [r, i, code] of cases) {
      const body = await expectStatus<Body>(read(w.technician, r, i), 404);
      expect(body.code).toBe(code);
    }
  });

  it('refuses a business (even the owner of the instrument) and staff who may not read results', async () => {
    const { requestId, itemId } = received;
    const owner = await businessKey(sys, organizationId);
    const refused = await expectStatus<Body>(read({ key: owner }, requestId, itemId), 403);
    expect(refused.code).toBe('access.denied');
    // The owner still reads the item itself: the refusal is this route's, not the item's.
    await expectStatus(as(sys, { key: owner }).get(`/requests/${requestId}/items/${itemId}`), 200);
    const reception = await staffSession(sys, ['reception']);
    await expectStatus(read(reception, requestId, itemId), 403);
    await expectStatus(as(sys, null).get(path(requestId, itemId)), 401);
  });

  it('answers 400 to malformed or forged ids', async () => {
    const { requestId, itemId } = received;
    const forged = [
      ['not-a-uuid', itemId],
      [requestId, '42'],
      [`${requestId.slice(0, -1)}x`, itemId],
      [encodeURIComponent(`${requestId}' OR '1'='1`), itemId],
      [requestId, encodeURIComponent(`${itemId};DROP TABLE request_item`)],
    ] as const;
    for (const [r, i] of forged) {
      const body = await expectStatus<Body>(read(w.technician, r, i), 400);
      expect(body.code).toBe('bad_request'); // ParseUUIDPipe's, as on every id route
    }
  });
});
