import { randomBytes } from 'node:crypto';
import { certificateWorld, verify, type CertificateWorld } from './support/certificates.js';
import { createCustomer, toBench } from './support/factories.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { listen, typedClient, type TypedClient } from './support/typed-client.js';

/**
 * Issue 12: a business generates a client from the contract (contract/schema.d.ts, openapi-typescript)
 * and uses it with openapi-fetch for its whole journey, with no cast and no `any` (eslint forbids
 * both in this file; tsc checks it). The centre's staff do their part as in the other suites.
 */

/** The data of a 2xx answer; otherwise the test fails with the status and problem the API answered. */
function answered<T>(r: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (r.data === undefined) throw new Error(`${what} answered ${r.response.status}: ${JSON.stringify(r.error)}`);
  return r.data;
}

describe('a business’s journey through a typed client generated from the contract', () => {
  let sys: TestSystem;
  let world: CertificateWorld;
  let business: TypedClient;

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    world = await certificateWorld(sys);
    const customer = await createCustomer(sys);
    business = typedClient(await listen(sys), { key: customer.key });
  });
  afterAll(async () => sys?.close());

  it('registers an Encore 700 with its resolution, requests verification, follows it to the certificate and downloads the PDF', async () => {
    const types = answered(await business.GET('/instrument-types', { params: { query: { limit: 50 } } }), 'types');
    const dispenser = types.items.find((t) => t.nameEn === 'Fuel dispenser' && t.readyForVerification);
    if (!dispenser) throw new Error('no fuel dispenser type ready for verification');

    const instrument = answered(
      await business.POST('/instruments', {
        body: {
          instrumentTypeId: dispenser.id,
          manufacturer: 'Gilbarco',
          model: 'Encore 700',
          serialNumber: `EN7-${randomBytes(4).toString('hex')}`,
          accuracyClass: '0.5',
          rangeMin: '5',
          rangeMax: '60',
          rangeUnit: 'L/min',
          resolution: '0.01',
        },
      }),
      'register instrument',
    );
    expect(instrument).toMatchObject({ model: 'Encore 700', resolution: '0.01', accuracyClass: '0.5' });

    const request = answered(
      await business.POST('/requests', {
        params: { header: { 'Idempotency-Key': `journey-${randomBytes(6).toString('hex')}` } },
        body: { place: 'lab', items: [{ instrumentId: instrument.id, service: 'verification_periodic' }] },
      }),
      'submit request',
    );
    const [submitted] = request.items;
    if (!submitted) throw new Error('the request has no item');
    expect(submitted.status).toBe('submitted');

    // The centre's part is not the business's to do: the typed error is the shared problem+json.
    const refused = await business.POST('/requests/{id}/accept', { params: { path: { id: request.id } } });
    expect([refused.response.status, refused.error?.code]).toEqual([403, 'access.denied']);

    await toBench(sys, world.admin, { requestId: request.id, itemId: submitted.id, technician: world.technician });
    await verify(world, submitted.id);

    const path = { id: request.id, itemId: submitted.id };
    const issued = await eventually(async () => {
      const item = answered(await business.GET('/requests/{id}/items/{itemId}', { params: { path } }), 'item');
      return item.status === 'certificate_issued' ? item : undefined;
    }, 30_000);
    expect(issued.history.map((h) => h.to)).toEqual(expect.arrayContaining(['results_approved', 'certificate_issued']));

    const page = answered(
      await business.GET('/certificates', { params: { query: { requestItemId: submitted.id } } }),
      'certificates of the item',
    );
    const [certificate] = page.items;
    if (!certificate) throw new Error('no certificate for the item');
    expect(certificate).toMatchObject({ kind: 'verification', status: 'valid', instrumentId: instrument.id });
    expect(certificate.number).toMatch(/^KĐ-\d{4}-\d+$/);

    const pdf = await business.GET('/certificates/{id}/pdf', {
      params: { path: { id: certificate.id } },
      parseAs: 'arrayBuffer',
    });
    expect(pdf.response.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(Buffer.from(answered(pdf, 'certificate PDF')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);
});
