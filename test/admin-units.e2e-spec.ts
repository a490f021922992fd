import { startTestSystem, type TestSystem } from './support/system.js';
import { as, allPages, type Client } from './support/http.js';
import {
  createOrganization,
  inDays,
  instrumentBody,
  instrumentTypeBody,
  staffSession,
  type StaffSession,
} from './support/factories.js';

type Unit = {
  id: string;
  code: string;
  name: string;
  level: string;
  confidence: string;
  effectiveTo: string | null;
  successor: { id: string; name: string } | null;
  parent: { id: string; name: string } | null;
};

describe('administrative units (two tiers since 1 July 2025) and the due list by commune', () => {
  let sys: TestSystem;
  let admin: Client;
  let reception: Client;
  let adminSession: StaffSession;
  beforeAll(async () => {
    sys = await startTestSystem();
    adminSession = await staffSession(sys, ['admin']);
    admin = as(sys, adminSession);
    reception = as(sys, await staffSession(sys, ['reception']));
  });
  afterAll(async () => sys?.close());

  const units = async (query: string): Promise<Unit[]> =>
    allPages<Unit>(
      async (c) => (await reception.get(`/admin-units?${query}${c ? `&cursor=${c}` : ''}`).expect(200)).body,
    );
  const province = async (name: string): Promise<Unit> =>
    (await units(`level=province&q=${encodeURIComponent(name)}`)).find((u) => u.name === name)!;
  const commune = async (parent: Unit, name: string, code: string): Promise<Unit> =>
    (
      await admin
        .post('/admin-units', { code, name, kind: 'ward', parentId: parent.id, source: 'NQ 1667/NQ-UBTVQH15' })
        .expect(201)
    ).body;

  it('seeds the 34 current provinces, unconfirmed; a merged province is kept, retired, with its successor', async () => {
    const current = await units('level=province');
    expect(current).toHaveLength(34);
    expect(new Set(current.map((u) => u.confidence))).toEqual(new Set(['UNCERTAIN']));
    const haGiang = (await units('level=province&current=false&q=ha%20giang')).find((u) => u.name === 'Hà Giang')!;
    expect(haGiang).toMatchObject({ effectiveTo: '2025-06-30', successor: { name: 'Tuyên Quang' } });
    const confirmed = await admin.post(`/admin-units/${haGiang.id}/confirm`).expect(200);
    expect(confirmed.body).toMatchObject({ confidence: 'VERIFIED', confirmedBy: adminSession.username });
    await admin.post(`/admin-units/${haGiang.id}/confirm`).expect(409);
  });

  it('lets only the admin add units; a commune needs a current province; codes are unique among current units', async () => {
    const kh = await province('Khánh Hòa');
    await reception
      .post('/admin-units', { code: '22300', name: 'X', kind: 'ward', parentId: kh.id, source: 's' })
      .expect(403);
    const missingParent = await admin.post('/admin-units', { code: '22301', name: 'X', kind: 'ward', source: 's' });
    expect(missingParent.status).toBe(422);
    expect(missingParent.body).toMatchObject({ code: 'admin_unit.bad_reference', errors: [{ field: 'parentId' }] });
    const ward = await commune(kh, 'Phường Thử Một', '22302');
    expect(ward).toMatchObject({ level: 'commune', confidence: 'VERIFIED', parent: { id: kh.id } });
    const again = await admin.post('/admin-units', {
      code: '22302',
      name: 'Y',
      kind: 'commune',
      parentId: kh.id,
      source: 's',
    });
    expect(again.status).toBe(409);
  });

  it('gives addresses a province and commune, filters the due list by them, and moves them when a commune is merged', async () => {
    const kh = await province('Khánh Hòa');
    const hn = await province('Hà Nội');
    const [w1, w2, w3] = [
      await commune(kh, 'Phường Bắc Nha Trang', '22310'),
      await commune(kh, 'Phường Nam Nha Trang', '22311'),
      await commune(kh, 'Phường Tây Nha Trang', '22312'),
    ];
    const owner = await createOrganization(sys, { communeId: w1!.id });
    expect(owner).toMatchObject({ provinceId: kh.id, communeId: w1!.id });
    const wrong = await reception.post('/organizations', {
      name: 'Sai địa chỉ',
      taxCode: '0100000001',
      streetAddress: '1 A',
      province: 'Hà Nội',
      provinceId: hn.id,
      communeId: w1!.id,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'address.bad_unit', errors: [{ field: 'communeId' }] });

    const type = (await admin.post('/instrument-types', instrumentTypeBody()).expect(201)).body.id;
    const register = async (place: object = {}): Promise<string> => {
      const id = (
        await reception.post('/instruments', instrumentBody(owner.id, type, { placeOfUse: place })).expect(201)
      ).body.id;
      await reception
        .post(`/instruments/${id}/history`, { service: 'verification_periodic', date: inDays(-350), passed: true })
        .expect(201);
      return id;
    };
    const atOwner = await register();
    const atSite = await register({ siteName: 'Cửa hàng 5', communeId: w2!.id });
    const due = async (query: string): Promise<string[]> =>
      (await reception.get(`/instruments/due?within=60&type=${type}&${query}`).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await due(`commune=${w1!.id}`)).toEqual([atOwner]);
    expect(await due(`commune=${w2!.id}`)).toEqual([atSite]);
    expect((await due(`province=${kh.id}`)).sort()).toEqual([atOwner, atSite].sort());
    const item = (await reception.get(`/instruments/due?within=60&commune=${w2!.id}`).expect(200)).body.items[0];
    expect(item).toMatchObject({
      province: { id: kh.id, name: 'Khánh Hòa' },
      commune: { name: 'Phường Nam Nha Trang' },
    });

    // W1 and W2 merge into W3: both instruments and the owner move; the retired ward filters nothing.
    await admin.post(`/admin-units/${w1!.id}/retire`, { effectiveTo: inDays(-1), successorId: w3!.id }).expect(200);
    await admin.post(`/admin-units/${w2!.id}/retire`, { effectiveTo: inDays(-1), successorId: w3!.id }).expect(200);
    expect((await due(`commune=${w3!.id}`)).sort()).toEqual([atOwner, atSite].sort());
    expect(await due(`commune=${w1!.id}`)).toEqual([]);
    expect((await reception.get(`/organizations/${owner.id}`).expect(200)).body.communeId).toBe(w3!.id);
    const audit = (await admin.get(`/audit?entity=admin_unit&id=${w1!.id}`).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'retire']);
    // A retired unit may not be given to a new address.
    const stale = await reception.post(
      '/instruments',
      instrumentBody(owner.id, type, { placeOfUse: { communeId: w1!.id } }),
    );
    expect(stale.status).toBe(422);
    expect(stale.body).toMatchObject({ code: 'address.bad_unit', errors: [{ field: 'placeOfUse.communeId' }] });
  });
});
