// Staff search and number lookups that ignore case and diacritics: "KD-2026-1" finds KĐ-2026-000001,
// "dien luc" finds "Điện Lực", a label code set by staff is found as typed; businesses may not search.
import { vietnamYear } from '#libs/core';
import { todayInVietnam } from '#libs/registry';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus } from './support/http.js';
import { createCustomer, createInstrument, createOrganization } from './support/factories.js';

interface Hit {
  kind: string;
  id: string;
  label: string;
  match: string;
  href: string;
}
type Result = { items: Hit[] };

describe('search', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let certificate: { id: string; number: string };
  let requestId: string;
  const year = vietnamYear(new Date());

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    w = await certificateWorld(sys);
    const a = await approvedVerification(w, { measuredOn: todayInVietnam() });
    requestId = a.requestId;
    const state = await issueState(w, a.revisionId);
    expect(state.status).toBe('issued');
    certificate = state.certificate!;
  });
  afterAll(async () => sys?.close());

  const search = (q: string, who: { token: string } | { key: string } = w.admin) =>
    as(sys, who).get(`/search?q=${encodeURIComponent(q)}`);

  it("finds KĐ-<year>-000001 when typed 'KD-<year>-1', by number filter and by search", async () => {
    expect(certificate.number).toBe(`KĐ-${year}-000001`);
    for (const typed of [`KD-${year}-1`, `kd-${year}-000001`, `KĐ-${year}-000001`, `kđ-${year}-000001`]) {
      const page = await expectStatus<{ items: { id: string }[] }>(
        as(sys, w.admin).get(`/certificates?number=${encodeURIComponent(typed)}`),
        200,
      );
      expect({ typed, ids: page.items.map((c) => c.id) }).toEqual({ typed, ids: [certificate.id] });
    }
    const found = await expectStatus<Result>(search(`KD-${year}-1`), 200);
    expect(found.items[0]).toEqual(
      expect.objectContaining({
        kind: 'certificate',
        id: certificate.id,
        label: certificate.number,
        match: 'exact',
        href: `/certificates/${certificate.id}`,
      }),
    );
    // A prefix without the Đ finds it too, as a prefix match.
    const prefix = await expectStatus<Result>(search(`kd-${year}-0000`), 200);
    expect(prefix.items).toContainEqual(expect.objectContaining({ id: certificate.id, match: 'prefix' }));
  });

  it('finds a request by its number as typed', async () => {
    const request = await expectStatus<{ number: string }>(as(sys, w.admin).get(`/requests/${requestId}`), 200);
    const found = await expectStatus<Result>(search(request.number.toLowerCase().replace(/-0+/, '-')), 200);
    expect(found.items[0]).toMatchObject({ kind: 'request', id: requestId, label: request.number, match: 'exact' });
  });

  it('finds organizations by name without diacritics and by tax-code prefix, ranked', async () => {
    const org = await createOrganization(sys, { name: 'Công ty Điện Lực Khánh Hòa', taxCode: '4200123456' });
    const byName = await expectStatus<Result>(search('dien luc khanh hoa'), 200);
    expect(byName.items[0]).toMatchObject({ kind: 'organization', id: org.id, match: 'similar' });
    const exact = await expectStatus<Result>(search('CÔNG TY ĐIỆN LỰC KHÁNH HÒA'), 200);
    expect(exact.items[0]).toMatchObject({ kind: 'organization', id: org.id, match: 'exact' });
    const byTax = await expectStatus<Result>(search('42001234'), 200);
    expect(byTax.items).toContainEqual(expect.objectContaining({ kind: 'organization', id: org.id, match: 'prefix' }));
  });

  it("finds instruments by serial and by the centre's label code, which staff set and which is unique", async () => {
    const owner = await createOrganization(sys);
    const one = await createInstrument(sys, w.admin, owner.id, w.fuelType.id, { serialNumber: 'ĐH-Ærø-7781' });
    const two = await createInstrument(sys, w.admin, owner.id, w.fuelType.id);
    const labelled = await expectStatus<{ labelCode: string }>(
      as(sys, w.admin).patch(`/instruments/${one.id}`, { labelCode: 'TĐC-CX-000417' }),
      200,
    );
    expect(labelled.labelCode).toBe('TĐC-CX-000417');
    const taken = await expectStatus<{ code: string }>(
      as(sys, w.admin).patch(`/instruments/${two.id}`, { labelCode: 'TĐC-CX-000417' }),
      409,
    );
    expect(taken.code).toBe('instrument.label_code_taken');
    const byLabel = await expectStatus<Result>(search('tdc-cx-000417'), 200);
    expect(byLabel.items[0]).toMatchObject({
      kind: 'instrument',
      id: one.id,
      match: 'exact',
      href: `/instruments/${one.id}`,
    });
    const bySerial = await expectStatus<Result>(search('dh-ærø-77'), 200);
    expect(bySerial.items[0]).toMatchObject({ kind: 'instrument', id: one.id, match: 'prefix' });
  });

  it('is for staff only, and refuses an empty or oversized query', async () => {
    const business = await createCustomer(sys);
    await expectStatus(search('KD', business), 403);
    await expectStatus(as(sys, null).get('/search?q=KD'), 401);
    await expectStatus(as(sys, w.admin).get('/search?q=%20'), 400);
    await expectStatus(as(sys, w.admin).get(`/search?q=KD&limit=51`), 400);
  });
});
