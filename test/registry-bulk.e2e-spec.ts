// Integration: InstrumentService.createMany (what a service request uses to register its new
// instruments) against a real PostgreSQL: create()'s rules for every row, errors naming each row.
import { ConflictError, InvalidInputError, Tx, UnprocessableError } from '#libs/core';
import { AuditTrail } from '#libs/audit';
import { Instrument } from '#libs/registry';
import { DataSource, In } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';
import { instrumentBody, registry, TEST_SETUP } from './support/factories.js';

describe('InstrumentService.createMany (integration, real PostgreSQL)', () => {
  let sys: TestSystem;
  let r: ReturnType<typeof registry>;
  let db: DataSource;
  beforeAll(async () => {
    sys = await startTestSystem();
    r = registry(sys);
    db = sys.app.get(DataSource);
  });
  afterAll(async () => sys?.close());

  const body = (ownerId: string, typeId: string, o: Parameters<typeof instrumentBody>[2] = {}) => {
    const dto: Partial<ReturnType<typeof instrumentBody>> = instrumentBody(ownerId, typeId, o);
    delete dto.ownerId;
    return dto as Omit<ReturnType<typeof instrumentBody>, 'ownerId'>;
  };

  it('inserts every row in the caller transaction, in order, with the defaults create() applies', async () => {
    const owner = await r.organization({ district: 'Cam Ranh' });
    const type = await r.type({ unit: 'L' });
    const dtos = Array.from({ length: 2500 }, (_, i) =>
      body(owner.id, type.id, { serialNumber: `BULK-${i}`, rangeUnit: undefined }),
    );
    dtos[1] = { ...dtos[1]!, placeOfUse: { district: 'Vạn Ninh' } };
    const created = await db.transaction((m) => r.instruments.createMany(new Tx(m), TEST_SETUP, owner.id, dtos));
    expect(created.map((c) => c.serialNumber)).toEqual(dtos.map((d) => d.serialNumber));
    const stored = await db.getRepository(Instrument).findBy({ id: In(created.slice(0, 2).map((c) => c.id)) });
    const byId = new Map(stored.map((s) => [s.id, s]));
    expect(byId.get(created[0]!.id)).toMatchObject({ ownerId: owner.id, rangeUnit: 'L', district: 'Cam Ranh' });
    expect(byId.get(created[1]!.id)).toMatchObject({ district: 'Vạn Ninh', status: 'in_service' });
    expect(await db.getRepository(Instrument).countBy({ ownerId: owner.id })).toBe(2500);
    // One audit entry (a batch entry) names them all, by the actor, in the same transaction; each
    // instrument's trail finds it, narrowed to that instrument.
    const audited = (await db.query(
      `SELECT entity_id, actor_name, after->'recordIds' AS ids, after->>'requestId' AS request FROM audit_event
        WHERE entity = 'instrument' AND action = 'create' AND after->>'ownerId' = $1`,
      [owner.id],
    )) as { entity_id: string; actor_name: string; ids: string[]; request: string | null }[];
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_name: 'test setup', request: null });
    expect(audited[0]!.ids).toEqual(created.map((c) => c.id));
    const trail = await sys.app.get(AuditTrail).list({ entity: 'instrument', id: created[7]!.id, limit: 50 });
    expect(trail.items).toHaveLength(1);
    expect(trail.items[0]).toMatchObject({
      entityId: audited[0]!.entity_id,
      action: 'create',
      after: {
        ownerId: owner.id,
        recordCount: 2500,
        record: { id: created[7]!.id, serialNumber: 'BULK-7', instrumentTypeId: type.id, rangeUnit: 'L' },
      },
    });
  });

  it('writes nothing when the transaction rolls back', async () => {
    const owner = await r.organization();
    const type = await r.type();
    await expect(
      db.transaction(async (m) => {
        await r.instruments.createMany(new Tx(m), TEST_SETUP, owner.id, [body(owner.id, type.id)]);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await db.getRepository(Instrument).countBy({ ownerId: owner.id })).toBe(0);
    const audited = (await db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE entity = 'instrument' AND after->>'ownerId' = $1`,
      [owner.id],
    )) as { n: number }[];
    expect(audited[0]!.n).toBe(0);
  });

  it('names unknown types, bad ranges, repeats and already registered instruments by row', async () => {
    const owner = await r.organization();
    const type = await r.type();
    const existing = await r.instrument(owner.id, type.id, { serialNumber: 'TAKEN-1' });
    const field = (i: number) => `items[${i}].instrument`;
    const unknownType = '00000000-0000-4000-8000-000000000000';
    await expect(
      db.transaction((m) =>
        r.instruments.createMany(
          new Tx(m),
          TEST_SETUP,
          owner.id,
          [body(owner.id, type.id), body(owner.id, unknownType)],
          { field },
        ),
      ),
    ).rejects.toMatchObject({
      constructor: UnprocessableError,
      details: { errors: [{ field: 'items[1].instrument.instrumentTypeId' }] },
    });
    await expect(
      db.transaction((m) =>
        r.instruments.createMany(
          new Tx(m),
          TEST_SETUP,
          owner.id,
          [body(owner.id, type.id, { rangeMin: '10', rangeMax: '5' })],
          { field },
        ),
      ),
    ).rejects.toMatchObject({
      constructor: InvalidInputError,
      details: { errors: [{ field: 'items[0].instrument.rangeMax' }] },
    });
    const twice = body(owner.id, type.id, { serialNumber: 'TWICE' });
    await expect(
      db.transaction((m) =>
        r.instruments.createMany(
          new Tx(m),
          TEST_SETUP,
          owner.id,
          [twice, body(owner.id, type.id, { serialNumber: existing.serialNumber }), { ...twice }],
          { field },
        ),
      ),
    ).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'instrument.duplicate',
      details: {
        errors: [
          { field: 'items[1].instrument.serialNumber', message: expect.stringMatching(/already registered/) },
          { field: 'items[2].instrument.serialNumber', message: expect.stringMatching(/items\[0\]/) },
        ],
      },
    });
    expect(await db.getRepository(Instrument).countBy({ ownerId: owner.id })).toBe(1);
  });

  it('refuses a deactivated owner', async () => {
    const owner = await r.organization();
    const type = await r.type();
    await r.organizations.setActive(owner.id, false, TEST_SETUP);
    await expect(
      db.transaction((m) => r.instruments.createMany(new Tx(m), TEST_SETUP, owner.id, [body(owner.id, type.id)])),
    ).rejects.toMatchObject({ details: { errors: [{ field: 'ownerId' }] } });
  });
});
