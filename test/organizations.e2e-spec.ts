import { randomUUID } from 'node:crypto';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as } from './support/http.js';
import { taxCode, staffSession, businessKey, createOrganization, type StaffSession } from './support/factories.js';

describe('organizations (customers) over HTTP', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let reception: StaffSession;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
  });
  afterAll(async () => sys?.close());

  const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: 'Công ty TNHH Xăng dầu Bình Minh',
    taxCode: taxCode(),
    streetAddress: '12 Trần Phú',
    province: 'Khánh Hòa',
    district: 'Nha Trang',
    contacts: [{ name: 'Nguyễn Văn An', phone: '0912345678', email: 'an@example.vn' }],
    ...overrides,
  });

  it('registers a customer (201) as reception', async () => {
    const sent = body({ taxCode: `${taxCode()}-001` });
    const res = await as(sys, reception).post('/organizations').send(sent).expect(201);
    expect(res.body).toMatchObject({ ...sent, id: expect.any(String), active: true, ward: null });
    await as(sys, reception).get(`/organizations/${res.body.id}`).expect(200, res.body);
  });

  it('refuses an invalid tax code with 400 naming taxCode', async () => {
    const res = await as(sys, admin)
      .post('/organizations')
      .send(body({ taxCode: '12345' }))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { field: 'taxCode', message: expect.stringContaining('10 digits'), constraint: 'matches' },
    ]);
    const nested = await as(sys, admin)
      .post('/organizations')
      .send(body({ contacts: [{ name: '' }] }))
      .expect(400);
    expect(nested.body.errors.map((e: { field: string }) => e.field)).toContain('contacts[0].name');
  });

  it('refuses a duplicate tax code with 409', async () => {
    const duplicate = taxCode();
    await as(sys, admin)
      .post('/organizations')
      .send(body({ taxCode: duplicate }))
      .expect(201);
    const res = await as(sys, admin)
      .post('/organizations')
      .send(body({ taxCode: duplicate, name: 'Another name' }))
      .expect(409);
    expect(res.body).toMatchObject({ code: 'organization.tax_code_taken', errors: [{ field: 'taxCode' }] });
  });

  it('lists by name across pages with a cursor, each customer once', async () => {
    const tag = randomUUID().slice(0, 8);
    const names = ['Chợ Đầm', 'Bệnh viện Đa khoa', 'An Phú', 'Điện lực', 'Xăng dầu'].map((n) => `${tag} ${n}`);
    for (const name of names) await createOrganization(sys, { name });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await as(sys, admin)
        .get('/organizations')
        .query({ q: tag, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((o) => o.name));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(names));
    const sorted = (await as(sys, admin).get('/organizations').query({ q: tag }).expect(200)).body.items.map(
      (o: { name: string }) => o.name,
    );
    expect(seen).toEqual(sorted);
    await as(sys, admin).get('/organizations').query({ cursor: 'garbage' }).expect(400);
  });

  it('shows a business only its own organization', async () => {
    const mine = (await createOrganization(sys)).id;
    const theirs = (await createOrganization(sys)).id;
    const key = await businessKey(sys, mine);
    const list = await as(sys, { key }).get('/organizations').expect(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([mine]);
    await as(sys, { key }).get(`/organizations/${mine}`).expect(200);
    await as(sys, { key }).get(`/organizations/${theirs}`).expect(404);
    await as(sys, { key }).patch(`/organizations/${mine}`).send({ name: 'Renamed by itself' }).expect(403);
  });

  it('deactivates and reactivates a customer', async () => {
    const id = (await createOrganization(sys)).id;
    const off = await as(sys, reception).post(`/organizations/${id}/deactivate`).expect(200);
    expect(off.body.active).toBe(false);
    const inactive = await as(sys, admin).get('/organizations').query({ active: false, limit: 200 }).expect(200);
    expect(inactive.body.items.map((o: { id: string }) => o.id)).toContain(id);
    const on = await as(sys, reception).post(`/organizations/${id}/activate`).expect(200);
    expect(on.body.active).toBe(true);
  });

  it('deletes an unreferenced customer (admin only), but answers 409 once an API key refers to it', async () => {
    const free = (await createOrganization(sys)).id;
    await as(sys, reception).delete(`/organizations/${free}`).expect(403);
    await as(sys, admin).delete(`/organizations/${free}`).expect(204);
    await as(sys, admin).get(`/organizations/${free}`).expect(404);

    const used = (await createOrganization(sys)).id;
    await businessKey(sys, used);
    const res = await as(sys, admin).delete(`/organizations/${used}`).expect(409);
    expect(res.body.code).toBe('organization.in_use');
    await as(sys, admin).get(`/organizations/${used}`).expect(200);
  });

  it('updates a customer and answers 404 for a missing one', async () => {
    const id = (await createOrganization(sys)).id;
    const res = await as(sys, reception).patch(`/organizations/${id}`).send({ ward: 'Lộc Thọ' }).expect(200);
    expect(res.body.ward).toBe('Lộc Thọ');
    await as(sys, reception).patch(`/organizations/${randomUUID()}`).send({ ward: 'x' }).expect(404);
    await as(sys, admin).get('/organizations/not-a-uuid').expect(400);
  });

  it('refuses null for a required field on update, and a forged cursor, with 400 naming the field', async () => {
    const id = (await createOrganization(sys)).id;
    const res = await as(sys, reception)
      .patch(`/organizations/${id}`)
      .send({ name: null, contacts: null, district: null })
      .expect(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['contacts', 'name']);
    const cleared = await as(sys, reception).patch(`/organizations/${id}`).send({ district: null }).expect(200);
    expect(cleared.body.district).toBeNull();
    const forged = Buffer.from(JSON.stringify(['a', 'not-a-uuid'])).toString('base64url');
    const list = await as(sys, reception).get(`/organizations?cursor=${forged}`).expect(400);
    expect(list.body.errors).toEqual([{ field: 'cursor', message: 'cursor is not one this API gave out' }]);
  });
});
