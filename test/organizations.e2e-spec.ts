import { randomUUID } from 'node:crypto';
import { businessKey, createOrganization, randomTaxCode, staffSession } from './support/auth.js';
import { startTestSystem, type TestSystem } from './support/system.js';

describe('organizations (customers) over HTTP', () => {
  let sys: TestSystem;
  let admin: [string, string];
  let reception: [string, string];
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = ['Authorization', `Bearer ${(await staffSession(sys, ['admin'])).token}`];
    reception = ['Authorization', `Bearer ${(await staffSession(sys, ['reception'])).token}`];
  });
  afterAll(async () => sys?.close());

  const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: 'Công ty TNHH Xăng dầu Bình Minh',
    taxCode: randomTaxCode(),
    streetAddress: '12 Trần Phú',
    province: 'Khánh Hòa',
    district: 'Nha Trang',
    contacts: [{ name: 'Nguyễn Văn An', phone: '0912345678', email: 'an@example.vn' }],
    ...overrides,
  });

  it('registers a customer (201) as reception', async () => {
    const sent = body({ taxCode: `${randomTaxCode()}-001` });
    const res = await sys
      .http()
      .post('/organizations')
      .set(...reception)
      .send(sent)
      .expect(201);
    expect(res.body).toMatchObject({ ...sent, id: expect.any(String), active: true, ward: null });
    await sys
      .http()
      .get(`/organizations/${res.body.id}`)
      .set(...reception)
      .expect(200, res.body);
  });

  it('refuses an invalid tax code with 400 naming taxCode', async () => {
    const res = await sys
      .http()
      .post('/organizations')
      .set(...admin)
      .send(body({ taxCode: '12345' }))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'taxCode', message: expect.stringContaining('10 digits') }]);
    const nested = await sys
      .http()
      .post('/organizations')
      .set(...admin)
      .send(body({ contacts: [{ name: '' }] }))
      .expect(400);
    expect(nested.body.errors.map((e: { field: string }) => e.field)).toContain('contacts[0].name');
  });

  it('refuses a duplicate tax code with 409', async () => {
    const taxCode = randomTaxCode();
    await sys
      .http()
      .post('/organizations')
      .set(...admin)
      .send(body({ taxCode }))
      .expect(201);
    const res = await sys
      .http()
      .post('/organizations')
      .set(...admin)
      .send(body({ taxCode, name: 'Another name' }))
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
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await sys
        .http()
        .get('/organizations')
        .query({ q: tag, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...admin)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((o) => o.name));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(names));
    const sorted = (
      await sys
        .http()
        .get('/organizations')
        .query({ q: tag })
        .set(...admin)
        .expect(200)
    ).body.items.map((o: { name: string }) => o.name);
    expect(seen).toEqual(sorted);
    await sys
      .http()
      .get('/organizations')
      .query({ cursor: 'garbage' })
      .set(...admin)
      .expect(400);
  });

  it('shows a business only its own organization', async () => {
    const mine = await createOrganization(sys);
    const theirs = await createOrganization(sys);
    const key = await businessKey(sys, mine);
    const list = await sys.http().get('/organizations').set('X-Api-Key', key).expect(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([mine]);
    await sys.http().get(`/organizations/${mine}`).set('X-Api-Key', key).expect(200);
    await sys.http().get(`/organizations/${theirs}`).set('X-Api-Key', key).expect(404);
    await sys
      .http()
      .patch(`/organizations/${mine}`)
      .set('X-Api-Key', key)
      .send({ name: 'Renamed by itself' })
      .expect(403);
  });

  it('deactivates and reactivates a customer', async () => {
    const id = await createOrganization(sys);
    const off = await sys
      .http()
      .post(`/organizations/${id}/deactivate`)
      .set(...reception)
      .expect(200);
    expect(off.body.active).toBe(false);
    const inactive = await sys
      .http()
      .get('/organizations')
      .query({ active: false, limit: 200 })
      .set(...admin)
      .expect(200);
    expect(inactive.body.items.map((o: { id: string }) => o.id)).toContain(id);
    const on = await sys
      .http()
      .post(`/organizations/${id}/activate`)
      .set(...reception)
      .expect(200);
    expect(on.body.active).toBe(true);
  });

  it('deletes an unreferenced customer (admin only), but answers 409 once an API key refers to it', async () => {
    const free = await createOrganization(sys);
    await sys
      .http()
      .delete(`/organizations/${free}`)
      .set(...reception)
      .expect(403);
    await sys
      .http()
      .delete(`/organizations/${free}`)
      .set(...admin)
      .expect(204);
    await sys
      .http()
      .get(`/organizations/${free}`)
      .set(...admin)
      .expect(404);

    const used = await createOrganization(sys);
    await businessKey(sys, used);
    const res = await sys
      .http()
      .delete(`/organizations/${used}`)
      .set(...admin)
      .expect(409);
    expect(res.body.code).toBe('organization.in_use');
    await sys
      .http()
      .get(`/organizations/${used}`)
      .set(...admin)
      .expect(200);
  });

  it('updates a customer and answers 404 for a missing one', async () => {
    const id = await createOrganization(sys);
    const res = await sys
      .http()
      .patch(`/organizations/${id}`)
      .set(...reception)
      .send({ ward: 'Lộc Thọ' })
      .expect(200);
    expect(res.body.ward).toBe('Lộc Thọ');
    await sys
      .http()
      .patch(`/organizations/${randomUUID()}`)
      .set(...reception)
      .send({ ward: 'x' })
      .expect(404);
    await sys
      .http()
      .get('/organizations/not-a-uuid')
      .set(...admin)
      .expect(400);
  });

  it('refuses null for a required field on update, and a forged cursor, with 400 naming the field', async () => {
    const id = await createOrganization(sys);
    const res = await sys
      .http()
      .patch(`/organizations/${id}`)
      .set(...reception)
      .send({ name: null, contacts: null, district: null })
      .expect(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['contacts', 'name']);
    const cleared = await sys
      .http()
      .patch(`/organizations/${id}`)
      .set(...reception)
      .send({ district: null })
      .expect(200);
    expect(cleared.body.district).toBeNull();
    const forged = Buffer.from(JSON.stringify(['a', 'not-a-uuid'])).toString('base64url');
    const list = await sys
      .http()
      .get(`/organizations?cursor=${forged}`)
      .set(...reception)
      .expect(400);
    expect(list.body.errors).toEqual([{ field: 'cursor', message: 'cursor is not one this API gave out' }]);
  });
});
