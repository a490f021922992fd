// GET /requests/:id/labels.pdf: the label sheet of a request's received instruments. Staff only (a
// business key 403), 404 for an unknown request, 409 before anything is received, then a PDF with
// one label per received item (code, serial, request number), or only the items asked for.
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, fields, ok } from './support/http.js';
import { binary, hasTool, pdfText } from './support/certificates.js';
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

describe('label sheet of a request', () => {
  let sys: TestSystem;
  let reception: StaffSession;
  let technician: StaffSession;
  let customer: { id: string; key: string };
  let requestId: string;
  let number: string;
  let itemIds: string[];
  const run = Date.now().toString(36).toUpperCase();
  const label = (i: number) => `TĐC-${run}-${i}`;
  const url = () => `/requests/${requestId}/labels.pdf`;

  beforeAll(async () => {
    sys = await startTestSystem();
    const admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
    const typeId = (
      await createInstrumentType(sys, admin, instrumentTypeBody({ measuredQuantity: 'volume', unit: 'L' }))
    ).id as string;
    await createUsableStandard(sys, admin, { quantity: 'volume', unit: 'L' });
    technician = await createTechnician(sys, admin, [{ instrumentTypeId: typeId, service: 'verification_periodic' }]);
    customer = await createCustomer(sys);
    const request = ok(
      await as(sys, reception).post('/requests', {
        organizationId: customer.id,
        place: 'lab',
        items: [0, 1, 2].map((i) => ({
          instrument: requestInstrumentBody(typeId, { serialNumber: `LBL-${run}-${i}` }),
          service: 'verification_periodic',
        })),
      }),
      'submit',
    );
    requestId = request.id as string;
    number = request.number as string;
    itemIds = (request.items as { id: string }[]).map((i) => i.id);
    ok(await as(sys, reception).post(`/requests/${requestId}/accept`, {}), 'accept');
    ok(
      await as(sys, reception).post(`/requests/${requestId}/items/schedule`, {
        items: itemIds.map((itemId) => ({ itemId, technicianId: technician.userId, date: today() })),
      }),
      'schedule',
    );
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('answers 409 request.no_labels while nothing is received, 404 for an unknown request', async () => {
    expect(await expectStatus(as(sys, reception).get(url()), 409)).toMatchObject({ code: 'request.no_labels' });
    const unknown = `/requests/00000000-0000-4000-8000-000000000000/labels.pdf`;
    expect(await expectStatus(as(sys, reception).get(unknown), 404)).toMatchObject({
      code: 'service_request.not_found',
    });
  });

  it('is for staff only: a business key gets 403, nobody 401', async () => {
    await expectStatus(as(sys, customer).get(url()), 403);
    await expectStatus(as(sys, null).get(url()), 401);
  });

  it('prints one label per received item: its code, serial number, request number and customer', async () => {
    ok(
      await as(sys, technician).post(`/requests/${requestId}/items/receive`, {
        items: itemIds.slice(0, 2).map((itemId, i) => ({ itemId, labelId: label(i), condition: 'Nguyên vẹn' })),
      }),
      'receive two',
    );
    const res = await as(sys, reception).get(url()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="labels-${number}.pdf"`);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasTool('pdftotext')) return console.warn('pdftotext is not installed: skipping the label text check');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(label(0));
    expect(text).toContain(label(1));
    expect(text).toContain(`Số sản xuất: LBL-${run}-0 `);
    expect(text).toContain(number);
    expect(text).not.toContain(`LBL-${run}-2`); // not received: no label
  });

  it('prints only the items named by ?item=, and validates them', async () => {
    const res = await as(sys, technician).get(`${url()}?item=${itemIds[1]}`).buffer(true).parse(binary).expect(200);
    if (hasTool('pdftotext')) {
      const text = pdfText(res.body as Buffer);
      expect(text).toContain(label(1));
      expect(text).not.toContain(label(0));
    }
    const notReceived = await expectStatus(as(sys, reception).get(`${url()}?item=${itemIds[2]}`), 409);
    expect(notReceived).toMatchObject({ code: 'request.no_labels' });
    expect(fields(await expectStatus(as(sys, reception).get(`${url()}?item=nope`), 400))).toEqual(['item']);
  });
});
