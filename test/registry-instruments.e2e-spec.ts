// Instruments over HTTP: registration by reception and by businesses, the books loaded as history,
// the next due date under the cycle in force, and the recall (due) list the centre works from.
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, fields, allPages, type Client } from './support/http.js';
import {
  instrumentTypeBody,
  taximeterTypeBody,
  instrumentBody,
  staffSession,
  businessKey,
  createOrganization,
} from './support/factories.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface DueItem {
  id: string;
  nextDueDate: string;
  daysUntilDue: number;
  overdue: boolean;
}

describe('instruments (HTTP)', () => {
  let sys: TestSystem;
  let admin: Client;
  let reception: Client;
  let technician: Client;
  let taxiTypeId: string;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = as(sys, await staffSession(sys, ['admin']));
    reception = as(sys, await staffSession(sys, ['reception']));
    technician = as(sys, await staffSession(sys, ['technician']));
    taxiTypeId = (await admin.post('/instrument-types', taximeterTypeBody()).expect(201)).body.id;
  });
  afterAll(async () => sys?.close());

  const record = (id: string, body: object, by: Client = reception) => by.post(`/instruments/${id}/history`, body);

  describe('registration', () => {
    it('lets reception register an instrument and refuses a second one with the same identity (409)', async () => {
      const ownerId = (await createOrganization(sys, { district: 'Diên Khánh' })).id;
      const body = instrumentBody(ownerId, taxiTypeId, {
        placeOfUse: { siteName: 'Bến xe phía Nam', streetAddress: '2 Đường 23/10' },
      });
      const created = await reception.post('/instruments', body).expect(201);
      expect(created.body).toMatchObject({
        owner: { id: ownerId },
        instrumentType: { id: taxiTypeId, unit: 'km' },
        serialNumber: body.serialNumber,
        rangeMin: '5',
        rangeMax: '60',
        resolution: '0.01',
        placeOfUse: { siteName: 'Bến xe phía Nam', district: null },
        district: 'Diên Khánh',
        status: 'in_service',
        lastService: null,
        nextDueDate: null,
      });
      const dup = await admin.post('/instruments', { ...body, placeOfUse: undefined }).expect(409);
      expect(dup.body).toMatchObject({ code: 'instrument.duplicate', errors: [{ field: 'serialNumber' }] });
      // Another manufacturer, or another owner, may use the same serial number.
      await reception.post('/instruments', { ...body, manufacturer: 'Centrodyne' }).expect(201);
      await reception.post('/instruments', { ...body, ownerId: (await createOrganization(sys)).id }).expect(201);
      await technician.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(403);
    });

    it('refuses bad input with the path of every bad field', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const res = await reception
        .post('/instruments', {
          ...instrumentBody(ownerId, taxiTypeId),
          serialNumber: '   ',
          rangeMin: 'five',
          resolution: '-0.1',
          placeOfUse: { district: 42 },
          status: 'lost',
          colour: 'red',
        })
        .expect(400);
      expect(fields(res.body)).toEqual([
        'colour',
        'placeOfUse.district',
        'rangeMin',
        'resolution',
        'serialNumber',
        'status',
      ]);
      const range = await reception
        .post('/instruments', instrumentBody(ownerId, taxiTypeId, { rangeMin: '60', rangeMax: '5' }))
        .expect(400);
      expect(fields(range.body)).toEqual(['rangeMax']);
      const noOwner = await reception
        .post('/instruments', { ...instrumentBody(ownerId, taxiTypeId), ownerId: undefined })
        .expect(400);
      expect(fields(noOwner.body)).toEqual(['ownerId']);
    });

    it('answers 422 naming the field for an unknown type or owner, or a deactivated owner', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const unknown = await reception.post('/instruments', instrumentBody(UNKNOWN, UNKNOWN)).expect(422);
      expect(fields(unknown.body)).toEqual(['instrumentTypeId', 'ownerId']);
      await admin.post(`/organizations/${ownerId}/deactivate`).expect(200);
      const inactive = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(422);
      expect(inactive.body.errors).toEqual([{ field: 'ownerId', message: 'the organization is deactivated' }]);
    });

    it('answers 404 for an unknown instrument and 400 for a malformed id', async () => {
      await technician.get(`/instruments/${UNKNOWN}`).expect(404);
      await reception.patch(`/instruments/${UNKNOWN}`, { model: 'x' }).expect(404);
      await record(UNKNOWN, { service: 'calibration', date: '2024-01-01' }).expect(404);
      await technician.get(`/instruments/${UNKNOWN}/history`).expect(404);
      await technician.get('/instruments/123').expect(400);
    });

    it('corrects an instrument: a new place of use moves it to that district; scrapped is final; required fields stay required', async () => {
      const ownerId = (await createOrganization(sys, { district: 'Vạn Ninh' })).id;
      const { body: i } = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(201);
      const moved = await reception
        .patch(`/instruments/${i.id}`, { placeOfUse: { siteName: 'Trạm Cam Lâm', district: 'Cam Lâm' } })
        .expect(200);
      expect(moved.body).toMatchObject({
        district: 'Cam Lâm',
        placeOfUse: { siteName: 'Trạm Cam Lâm', district: 'Cam Lâm' },
      });
      const back = await reception.patch(`/instruments/${i.id}`, { placeOfUse: null }).expect(200);
      expect(back.body.district).toBe('Vạn Ninh');
      const nulls = await reception.patch(`/instruments/${i.id}`, { manufacturer: null, serialNumber: '' }).expect(400);
      expect(fields(nulls.body)).toEqual(['manufacturer', 'serialNumber']);
      await admin.patch(`/instruments/${i.id}`, { status: 'scrapped' }).expect(200);
      const revived = await admin.patch(`/instruments/${i.id}`, { status: 'in_service' }).expect(409);
      expect(revived.body.code).toBe('instrument.scrapped');
      await technician.patch(`/instruments/${i.id}`, { model: 'x' }).expect(403);
    });

    it('lists instruments by serial number, a page at a time, with filters', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const serials = ['LST-003', 'LST-001', 'LST-002'];
      for (const serialNumber of serials)
        await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId, { serialNumber })).expect(201);
      const all = await allPages<{ serialNumber: string }>(
        async (cursor) =>
          (
            await technician
              .get(`/instruments?owner=${ownerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
              .expect(200)
          ).body,
      );
      expect(all.map((i) => i.serialNumber)).toEqual(['LST-001', 'LST-002', 'LST-003']);
      const one = await technician.get(`/instruments?owner=${ownerId}&serial=LST-002`).expect(200);
      expect(one.body.items).toHaveLength(1);
      const bad = await technician.get('/instruments?status=broken&owner=abc').expect(400);
      expect(fields(bad.body)).toEqual(['owner', 'status']);
    });
  });

  describe('history and the next due date', () => {
    it('keeps the 12-month taximeter cycle for a verification in 2023 and gives 18 months to one in 2025', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const { body: a } = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(201);
      const { body: b } = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(201);
      const in2023 = await record(a.id, {
        service: 'verification_periodic',
        date: '2023-06-20',
        passed: true,
        certificateNumber: 'KĐ-2023/0412',
      }).expect(201);
      expect(in2023.body).toMatchObject({
        nextDueDate: '2024-06-20',
        lastService: {
          service: 'verification_periodic',
          date: '2023-06-20',
          result: 'pass',
          certificateNumber: 'KĐ-2023/0412',
        },
        lastVerification: { date: '2023-06-20', passed: true },
      });
      const in2025 = await record(
        b.id,
        { service: 'verification_periodic', date: '2025-06-20', passed: true },
        admin,
      ).expect(201);
      expect(in2025.body.nextDueDate).toBe('2026-12-20');
    });

    it('clears the due date after a failed verification (the instrument may not be used) until one passes', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const { body: i } = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(201);
      await record(i.id, { service: 'verification_initial', date: '2025-01-15', passed: true }).expect(201);
      const failed = await record(i.id, { service: 'verification_periodic', date: '2025-07-10', passed: false }).expect(
        201,
      );
      expect(failed.body).toMatchObject({ nextDueDate: null, lastVerification: { passed: false } });
      const repaired = await record(i.id, {
        service: 'verification_after_repair',
        date: '2025-07-25',
        passed: true,
      }).expect(201);
      expect(repaired.body.nextDueDate).toBe('2027-01-25');
      const history = await technician.get(`/instruments/${i.id}/history?limit=2`).expect(200);
      expect(history.body.items.map((h: { date: string }) => h.date)).toEqual(['2025-07-25', '2025-07-10']);
      expect(history.body.items[0]).toMatchObject({ origin: 'import', recordedBy: expect.any(String) });
      const older = await technician
        .get(`/instruments/${i.id}/history?limit=2&cursor=${history.body.nextCursor}`)
        .expect(200);
      expect(older.body).toMatchObject({
        items: [{ date: '2025-01-15', service: 'verification_initial' }],
        nextCursor: null,
      });
    });

    it('refuses a verification without a result, a duplicate and a date to come', async () => {
      const ownerId = (await createOrganization(sys)).id;
      const { body: i } = await reception.post('/instruments', instrumentBody(ownerId, taxiTypeId)).expect(201);
      const noResult = await record(i.id, { service: 'verification_periodic', date: '2025-01-01' }).expect(400);
      expect(fields(noResult.body)).toEqual(['passed']);
      const bad = await record(i.id, { service: 'repair', date: '2025-13-01', certificateNumber: '' }).expect(400);
      expect(fields(bad.body)).toEqual(['certificateNumber', 'date', 'service']);
      await record(i.id, { service: 'calibration', date: '2025-01-01' }).expect(201);
      const dup = await record(i.id, { service: 'calibration', date: '2025-01-01', passed: true }).expect(409);
      expect(dup.body.code).toBe('instrument.history_duplicate');
      const future = await record(i.id, { service: 'calibration', date: '2999-01-01' }).expect(422);
      expect(fields(future.body)).toEqual(['date']);
      await record(i.id, { service: 'calibration', date: '2025-02-01' }, technician).expect(403);
    });
  });

  describe('businesses', () => {
    let ownA: string;
    let ownB: string;
    let a: Client;
    let b: Client;
    let instrumentOfB: string;
    beforeAll(async () => {
      ownA = (await createOrganization(sys)).id;
      ownB = (await createOrganization(sys)).id;
      a = as(sys, { key: await businessKey(sys, ownA) });
      b = as(sys, { key: await businessKey(sys, ownB) });
      instrumentOfB = (await b.post('/instruments', instrumentBody(ownB, taxiTypeId)).expect(201)).body.id;
      await record(instrumentOfB, { service: 'verification_periodic', date: '2025-01-10', passed: true }).expect(201);
    });

    it('registers instruments for its own organization only, whatever ownerId it sends', async () => {
      const res = await a.post('/instruments', instrumentBody(ownB, taxiTypeId)).expect(201);
      expect(res.body.owner.id).toBe(ownA);
      const withoutOwner = await a
        .post('/instruments', { ...instrumentBody(ownA, taxiTypeId), ownerId: undefined })
        .expect(201);
      expect(withoutOwner.body.owner.id).toBe(ownA);
    });

    it("never sees another business's instruments: lists, reads, history and due list", async () => {
      const mine = await allPages<{ owner: { id: string } }>(
        async (c) => (await a.get(`/instruments${c ? `?cursor=${c}` : ''}`).expect(200)).body,
      );
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((i) => i.owner.id === ownA)).toBe(true);
      expect((await a.get(`/instruments?owner=${ownB}`).expect(200)).body.items).toEqual([]);
      await a.get(`/instruments/${instrumentOfB}`).expect(404);
      await a.get(`/instruments/${instrumentOfB}/history`).expect(404);
      expect((await a.get(`/instruments/due?within=3650&owner=${ownB}`).expect(200)).body.items).toEqual([]);
      const bDue = await b.get('/instruments/due?within=3650').expect(200);
      expect(bDue.body.items.map((i: DueItem) => i.id)).toEqual([instrumentOfB]);
      await b.get(`/instruments/${instrumentOfB}`).expect(200);
    });

    it('may not correct instruments or record history', async () => {
      await b.patch(`/instruments/${instrumentOfB}`, { model: 'x' }).expect(403);
      await record(instrumentOfB, { service: 'calibration', date: '2025-02-01' }, b).expect(403);
    });
  });

  describe('due list', () => {
    // asOf 2026-01-01, within 30 → due on or before 2026-01-31. Both types: 12 months from 2013.
    const asOf = '2026-01-01';
    let t1: string;
    let t2: string;
    let o1: string;
    let o2: string;
    const d1 = `Cam Ranh ${Date.now()}`;
    const d2 = `Ninh Hòa ${Date.now()}`;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      t1 = (await admin.post('/instrument-types', instrumentTypeBody()).expect(201)).body.id;
      t2 = (await admin.post('/instrument-types', instrumentTypeBody()).expect(201)).body.id;
      o1 = (await createOrganization(sys, { district: d1 })).id;
      o2 = (await createOrganization(sys, { district: d2 })).id;
      const make = async (
        name: string,
        owner: string,
        type: string,
        verified?: [string, boolean],
        extra: object = {},
      ) => {
        ids[name] = (await reception.post('/instruments', instrumentBody(owner, type, extra)).expect(201)).body.id;
        if (verified)
          await record(ids[name], { service: 'verification_periodic', date: verified[0], passed: verified[1] }).expect(
            201,
          );
      };
      await make('overdue', o1, t1, ['2024-11-15', true]); // due 2025-11-15
      await make('jan10', o1, t1, ['2025-01-10', true]); // due 2026-01-10
      await make('jan10bis', o1, t1, ['2025-01-10', true]); // same day: ordered by id
      await make('jan20placeD1', o2, t1, ['2025-01-20', true], {
        placeOfUse: { siteName: 'Kho Ba Ngòi', district: d1 },
      });
      await make('jan05', o2, t2, ['2025-01-05', true]); // due 2026-01-05, owner's district d2
      await make('march', o1, t1, ['2025-03-01', true]); // due 2026-03-01: outside 30 days
      await make('outOfService', o1, t1, ['2025-01-12', true]);
      await reception.patch(`/instruments/${ids.outOfService}`, { status: 'out_of_service' }).expect(200);
      await make('failed', o1, t2, ['2025-01-15', false]);
      await make('never', o2, t2);
    });

    const due = async (query: string, by: Client = technician): Promise<DueItem[]> =>
      allPages<DueItem>(
        async (c) =>
          (await by.get(`/instruments/due?asOf=${asOf}&${query}${c ? `&cursor=${c}` : ''}`).expect(200)).body,
      );
    const byId = (x: string, y: string) => [ids[x], ids[y]].sort();

    it('lists what falls due in the window, overdue first, by due date then id; nothing out of service, failed or never verified', async () => {
      const items = await due(`type=${t1}`);
      expect(items.map((i) => i.id)).toEqual([ids.overdue, ...byId('jan10', 'jan10bis'), ids.jan20placeD1]);
      expect(items[0]).toMatchObject({ nextDueDate: '2025-11-15', daysUntilDue: -47, overdue: true });
      expect(items[3]).toMatchObject({ nextDueDate: '2026-01-20', daysUntilDue: 19, overdue: false });
      expect((await due(`type=${t2}`)).map((i) => i.id)).toEqual([ids.jan05]);
    });

    it('is in (date, id) order across the whole registry, page after page, with no repeats', async () => {
      const pages: DueItem[][] = [];
      await allPages<DueItem>(async (c) => {
        const body = (
          await reception.get(`/instruments/due?asOf=${asOf}&limit=2${c ? `&cursor=${c}` : ''}`).expect(200)
        ).body;
        pages.push(body.items);
        return body;
      });
      const all = pages.flat();
      expect(pages.length).toBeGreaterThan(2);
      expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
      const keys = all.map((i) => `${i.nextDueDate}/${i.id}`);
      expect(keys).toEqual([...keys].sort());
      expect(all.every((i) => i.nextDueDate <= '2026-01-31')).toBe(true);
      const mine = all.map((i) => i.id).filter((id) => Object.values(ids).includes(id));
      expect(mine).toEqual([ids.overdue, ids.jan05, ...byId('jan10', 'jan10bis'), ids.jan20placeD1]);
    });

    it("filters by owner, and by district — the place of use's, else the owner's", async () => {
      expect((await due(`owner=${o1}`)).map((i) => i.id)).toEqual([ids.overdue, ...byId('jan10', 'jan10bis')]);
      expect((await due(`district=${encodeURIComponent(d1)}`)).map((i) => i.id)).toEqual([
        ids.overdue,
        ...byId('jan10', 'jan10bis'),
        ids.jan20placeD1,
      ]);
      expect((await due(`district=${encodeURIComponent(d2)}`)).map((i) => i.id)).toEqual([ids.jan05]);
      expect((await due(`district=${encodeURIComponent(d1)}&owner=${o2}&type=${t1}`)).map((i) => i.id)).toEqual([
        ids.jan20placeD1,
      ]);
    });

    it('widens and narrows with within', async () => {
      expect((await due(`owner=${o1}&within=0`)).map((i) => i.id)).toEqual([ids.overdue]);
      expect((await due(`owner=${o1}&within=60`)).map((i) => i.id)).toEqual([
        ids.overdue,
        ...byId('jan10', 'jan10bis'),
        ids.march,
      ]);
      const res = await technician.get(`/instruments/due?asOf=${asOf}&within=45&owner=${o1}`).expect(200);
      expect(res.body).toMatchObject({ asOf, dueOnOrBefore: '2026-02-15' });
    });

    it('refuses bad filters with their field paths', async () => {
      const res = await technician.get('/instruments/due?within=-1&type=abc&asOf=2026-02-30&limit=500').expect(400);
      expect(fields(res.body)).toEqual(['asOf', 'limit', 'type', 'within']);
      const cursor = await technician.get('/instruments/due?cursor=WyIyMDI2LTAxLTAxIiwxXQ').expect(400);
      expect(fields(cursor.body)).toEqual(['cursor']);
    });
  });
});
