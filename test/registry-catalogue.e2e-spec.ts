// The instrument-type catalogue over HTTP, as the centre's admin corrects it and as others read it.
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

describe('instrument-type catalogue (HTTP)', () => {
  let sys: TestSystem;
  let admin: Client;
  let reception: Client;
  let technician: Client;
  let customer: Client;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = as(sys, await staffSession(sys, ['admin']));
    reception = as(sys, await staffSession(sys, ['reception']));
    technician = as(sys, await staffSession(sys, ['technician']));
    customer = as(sys, { key: await businessKey(sys, (await createOrganization(sys)).id) });
  });
  afterAll(async () => sys?.close());

  it('lets the admin add a type with its MPE rule and cycle history; everyone else may read it', async () => {
    const body = taximeterTypeBody({
      procedures: [{ code: 'ĐLVN 01', version: '2019' }],
      mpeRule: {
        kind: 'combined',
        terms: [
          { kind: 'fixed', value: 0.1, unit: 'km' },
          { kind: 'percent_of_reading', p: 2 },
        ],
      },
    });
    const created = await admin.post('/instrument-types', body).expect(201);
    expect(created.body).toMatchObject({
      code: body.code,
      services: body.services,
      procedures: [{ code: 'ĐLVN 01', version: '2019' }],
      mpeRule: body.mpeRule,
      dataQuality: 'confirmed',
      cycles: [
        { cycleMonths: 12, effectiveFrom: '2013-11-15', dataQuality: 'uncertain' },
        { cycleMonths: 18, effectiveFrom: '2024-10-15', dataQuality: 'confirmed' },
      ],
      currentCycle: { cycleMonths: 18 },
    });
    for (const reader of [reception, technician, customer]) {
      const got = await reader.get(`/instrument-types/${created.body.id}`).expect(200);
      expect(got.body.code).toBe(body.code);
    }
    await reception.post('/instrument-types', instrumentTypeBody()).expect(403);
    await technician.patch(`/instrument-types/${created.body.id}`, { nameEn: 'x' }).expect(403);
    await customer
      .post(`/instrument-types/${created.body.id}/cycles`, {
        cycleMonths: 6,
        effectiveFrom: '2030-01-01',
        legalBasis: 'x',
      })
      .expect(403);
    await sys.http().get('/instrument-types').expect(401);
  });

  it('answers the cycle in force on a date: 12 months in 2023, 18 from 2024-10-15, none before the first row', async () => {
    const { body: type } = await admin.post('/instrument-types', taximeterTypeBody()).expect(201);
    const at = async (date: string) =>
      (await technician.get(`/instrument-types/${type.id}/cycle-in-force?at=${date}`).expect(200)).body;
    expect((await at('2023-06-01')).cycle).toMatchObject({ cycleMonths: 12, legalBasis: 'TT 23/2013/TT-BKHCN' });
    expect((await at('2024-10-15')).cycle).toMatchObject({ cycleMonths: 18, legalBasis: 'TT 03/2024/TT-BKHCN' });
    expect(await at('2010-01-01')).toEqual({ instrumentTypeId: type.id, at: '2010-01-01', cycle: null });
    const bad = await technician.get(`/instrument-types/${type.id}/cycle-in-force?at=2024-02-30`).expect(400);
    expect(fields(bad.body)).toEqual(['at']);
  });

  it('adds a cycle with its effective date, never edits one, and recomputes the instruments it governs', async () => {
    const { body: type } = await admin
      .post(
        '/instrument-types',
        instrumentTypeBody({ cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013' }] }),
      )
      .expect(201);
    const ownerId = (await createOrganization(sys)).id;
    const { body: instrument } = await reception.post('/instruments', instrumentBody(ownerId, type.id)).expect(201);
    await reception
      .post(`/instruments/${instrument.id}/history`, {
        service: 'verification_periodic',
        date: '2025-03-01',
        passed: true,
      })
      .expect(201);
    expect((await reception.get(`/instruments/${instrument.id}`).expect(200)).body.nextDueDate).toBe('2026-03-01');

    const added = await admin
      .post(`/instrument-types/${type.id}/cycles`, {
        cycleMonths: 24,
        effectiveFrom: '2024-10-15',
        legalBasis: 'TT 03/2024/TT-BKHCN',
        note: 'late entry',
      })
      .expect(201);
    expect(added.body).toMatchObject({
      cycleMonths: 24,
      effectiveFrom: '2024-10-15',
      instrumentsRecomputed: 1,
      createdBy: expect.any(String),
    });
    expect((await reception.get(`/instruments/${instrument.id}`).expect(200)).body.nextDueDate).toBe('2027-03-01');

    const again = await admin
      .post(`/instrument-types/${type.id}/cycles`, { cycleMonths: 6, effectiveFrom: '2024-10-15', legalBasis: 'x' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'instrument_type.cycle_exists', errors: [{ field: 'effectiveFrom' }] });

    const none = await admin
      .post(`/instrument-types/${type.id}/cycles`, {
        cycleMonths: null,
        effectiveFrom: '2030-01-01',
        legalBasis: 'removed',
      })
      .expect(201);
    expect(none.body.cycleMonths).toBeNull();
    const history = await technician.get(`/instrument-types/${type.id}/cycles?limit=2`).expect(200);
    expect(history.body.items.map((c: { effectiveFrom: string }) => c.effectiveFrom)).toEqual([
      '2013-11-15',
      '2024-10-15',
    ]);
    const rest = await technician
      .get(`/instrument-types/${type.id}/cycles?limit=2&cursor=${history.body.nextCursor}`)
      .expect(200);
    expect(rest.body).toMatchObject({ items: [{ effectiveFrom: '2030-01-01', cycleMonths: null }], nextCursor: null });
  });

  it('lets the admin correct a type, and clear its MPE rule, but not null a required field', async () => {
    const { body: type } = await admin
      .post('/instrument-types', instrumentTypeBody({ mpeRule: { kind: 'percent_of_reading', p: 0.5 } }))
      .expect(201);
    const fixed = await admin
      .patch(`/instrument-types/${type.id}`, {
        nameEn: 'Fuel dispenser',
        dataQuality: 'uncertain',
        mpeRule: {
          kind: 'by_accuracy_class',
          classes: { '0.5': { kind: 'percent_of_reading', p: 0.5 }, '1': { kind: 'percent_of_reading', p: 1 } },
        },
      })
      .expect(200);
    expect(fixed.body).toMatchObject({
      nameEn: 'Fuel dispenser',
      dataQuality: 'uncertain',
      staffEditedAt: expect.any(String),
      cycles: type.cycles,
    });
    expect((await admin.patch(`/instrument-types/${type.id}`, { mpeRule: null }).expect(200)).body.mpeRule).toBeNull();
    const refused = await admin.patch(`/instrument-types/${type.id}`, { nameVi: null, unit: '' }).expect(400);
    expect(fields(refused.body)).toEqual(['nameVi', 'unit']);
    const cycles = await admin.patch(`/instrument-types/${type.id}`, { cycles: [] }).expect(400);
    expect(fields(cycles.body)).toEqual(['cycles']);
  });

  it('refuses invalid types with the path of every bad field', async () => {
    const res = await admin
      .post('/instrument-types', {
        ...instrumentTypeBody(),
        code: 'lower case',
        services: ['verification_periodic', 'repair'],
        procedures: [{ code: '' }],
        cycles: [{ cycleMonths: 0, effectiveFrom: '15/10/2024', legalBasis: 'x' }],
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fields(res.body)).toEqual([
      'code',
      'cycles[0].cycleMonths',
      'cycles[0].effectiveFrom',
      'procedures[0].code',
      'services',
    ]);

    const mpe = await admin
      .post(
        '/instrument-types',
        instrumentTypeBody({
          mpeRule: {
            kind: 'combined',
            terms: [
              { kind: 'percent_of_reading', p: -1 },
              { kind: 'fixed', value: 1 },
            ],
          } as never,
        }),
      )
      .expect(400);
    expect(fields(mpe.body)).toEqual(['mpeRule.terms[0].p', 'mpeRule.terms[1].unit']);

    const twice = await admin
      .post(
        '/instrument-types',
        instrumentTypeBody({
          cycles: [
            { cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'a' },
            { cycleMonths: 18, effectiveFrom: '2013-11-15', legalBasis: 'b' },
          ],
        }),
      )
      .expect(400);
    expect(fields(twice.body)).toEqual(['cycles[1].effectiveFrom']);
  });

  it('answers 409 for a code already in use, 404 for an unknown id and 400 for a malformed one', async () => {
    const body = instrumentTypeBody();
    await admin.post('/instrument-types', body).expect(201);
    const dup = await admin.post('/instrument-types', { ...instrumentTypeBody(), code: body.code }).expect(409);
    expect(dup.body).toMatchObject({ status: 409, code: 'instrument_type.code_taken', errors: [{ field: 'code' }] });
    await technician.get(`/instrument-types/${UNKNOWN}`).expect(404);
    await admin.patch(`/instrument-types/${UNKNOWN}`, { nameEn: 'x' }).expect(404);
    await admin
      .post(`/instrument-types/${UNKNOWN}/cycles`, { cycleMonths: 12, effectiveFrom: '2024-01-01', legalBasis: 'x' })
      .expect(404);
    await technician.get(`/instrument-types/${UNKNOWN}/cycle-in-force`).expect(404);
    await technician.get('/instrument-types/not-a-uuid').expect(400);
  });

  it('pages through the catalogue by code with a cursor, filtered', async () => {
    const prefix = `PAGE_${Date.now()}`;
    const codes = [`${prefix}_A`, `${prefix}_B`, `${prefix}_C`];
    for (const code of [...codes].reverse())
      await admin.post('/instrument-types', instrumentTypeBody({ code, services: ['calibration'] })).expect(201);
    await admin
      .post('/instrument-types', instrumentTypeBody({ code: `${prefix}_D`, services: ['testing'], active: false }))
      .expect(201);
    const seen = await allPages<{ code: string }>(async (cursor) => {
      const res = await customer
        .get(`/instrument-types?q=${prefix}&service=calibration&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      return res.body;
    });
    expect(seen.map((t) => t.code)).toEqual(codes);
    const inactive = await customer.get(`/instrument-types?q=${prefix}&active=false`).expect(200);
    expect(inactive.body.items.map((t: { code: string }) => t.code)).toEqual([`${prefix}_D`]);
    const bad = await customer.get('/instrument-types?cursor=bm9wZQ&limit=0').expect(400);
    expect(fields(bad.body)).toEqual(['limit']);
    const forged = await customer.get('/instrument-types?cursor=WyJhIiwibm90LWEtdXVpZCJd').expect(400);
    expect(fields(forged.body)).toEqual(['cursor']);
  });
});
