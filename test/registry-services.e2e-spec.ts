// Integration: the registry's services against a real, fresh PostgreSQL (no HTTP, no auth). What the
// calibration library will call — recordOutcome, cycleInForce, standardStatus — is proven here.
import { ConflictError, InvalidInputError, NotFoundError, Tx, UnprocessableError } from '#libs/core';
import { prepareRuntime } from '#libs/platform';
import { InstrumentType, addMonths, loadShippedCatalogue, runCatalogueSeed, todayInVietnam } from '#libs/registry';
import { DataSource } from 'typeorm';
import { startTestSystem, type TestSystem } from './support/system.js';
import { calibrationBody, registry, TEST_SETUP } from './support/factories.js';

describe('registry services (integration, real PostgreSQL)', () => {
  let sys: TestSystem;
  let r: ReturnType<typeof registry>;
  beforeAll(async () => {
    sys = await startTestSystem();
    r = registry(sys);
  });
  afterAll(async () => sys?.close());

  describe('catalogue seed', () => {
    it('is not run by the test system: the catalogue starts empty', async () => {
      expect(await sys.app.get(DataSource).getRepository(InstrumentType).count()).toBe(0);
    });

    it('loads at first start when the catalogue is empty, and not again', async () => {
      const lines: string[] = [];
      const again = await prepareRuntime(sys.env, {
        allowEmbedded: false,
        log: (l) => lines.push(l),
        seedCatalogueIfEmpty: true,
      });
      expect(lines.join('\n')).toMatch(/catalogue was empty: seeded 29 types, 37 verification cycles and 25 MPE rules/);
      lines.length = 0;
      const third = await prepareRuntime(sys.env, {
        allowEmbedded: false,
        log: (l) => lines.push(l),
        seedCatalogueIfEmpty: true,
      });
      expect(lines.join('\n')).not.toMatch(/seeded/);
      await again.stop();
      await third.stop();
    });

    it('is an idempotent upsert that keeps staff corrections and keeps UNCERTAIN visible', async () => {
      const ds = sys.app.get(DataSource);
      const first = await runCatalogueSeed(ds, { onlyIfEmpty: false });
      expect(first).toMatchObject({ typesInserted: 0, typesUpdated: 0, typesUnchanged: 29, cyclesInserted: 0 });

      const fuel = await ds.getRepository(InstrumentType).findOneByOrFail({ code: 'FUEL_DISPENSER' });
      expect(fuel).toMatchObject({ dataQuality: 'uncertain', sourceNote: expect.stringMatching(/^UNCERTAIN cycle/) });
      await r.types.update(fuel.id, { nameEn: 'Fuel dispenser (corrected)', dataQuality: 'confirmed' }, TEST_SETUP);

      // A newer release of the CSV changes a name of a type nobody corrected: the seed updates it.
      const seed = loadShippedCatalogue().map((t) =>
        t.code === 'LEVEL' ? { ...t, nameEn: 'Levelling instrument (level)' } : t,
      );
      const second = await runCatalogueSeed(ds, { onlyIfEmpty: false, seed });
      expect(second).toMatchObject({
        typesInserted: 0,
        typesUpdated: 1,
        typesKeptStaffEdits: ['FUEL_DISPENSER'],
        cyclesInserted: 0,
      });
      expect(await ds.getRepository(InstrumentType).findOneByOrFail({ code: 'FUEL_DISPENSER' })).toMatchObject({
        nameEn: 'Fuel dispenser (corrected)',
        dataQuality: 'confirmed',
      });
    });

    it('gives the seeded taximeter 12 months before 2024-10-15 and 18 months from then', async () => {
      const taxi = await sys.app.get(DataSource).getRepository(InstrumentType).findOneByOrFail({ code: 'TAXIMETER' });
      expect((await r.types.cycleInForce(taxi.id, '2023-06-01'))?.cycleMonths).toBe(12);
      expect((await r.types.cycleInForce(taxi.id, '2024-10-14'))?.cycleMonths).toBe(12);
      expect((await r.types.cycleInForce(taxi.id, '2024-10-15'))?.cycleMonths).toBe(18);
      expect(await r.types.cycleInForce(taxi.id, '2013-11-14')).toBeNull();
    });
  });

  describe('recordOutcome and the next due date', () => {
    let ownerId: string;
    let taxiTypeId: string;
    beforeAll(async () => {
      ownerId = (await r.organization()).id;
      taxiTypeId = (await r.taximeterType()).id;
    });

    it('uses the cycle in force on the date of the passing verification', async () => {
      const verified2023 = await r.instrument(ownerId, taxiTypeId);
      const a = await r.instruments.recordOutcome(undefined, verified2023.id, {
        service: 'verification_periodic',
        date: '2023-05-10',
        passed: true,
      });
      expect(a.nextDueDate).toBe('2024-05-10');
      const verified2025 = await r.instrument(ownerId, taxiTypeId);
      const b = await r.instruments.recordOutcome(undefined, verified2025.id, {
        service: 'verification_periodic',
        date: '2025-02-01',
        passed: true,
      });
      expect(b.nextDueDate).toBe('2026-08-01');
    });

    it('clears the due date when the last verification fails, and restores it when one passes after repair', async () => {
      const i = await r.instrument(ownerId, taxiTypeId);
      await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_periodic',
        date: '2025-01-10',
        passed: true,
        certificateNumber: 'KĐ-1',
      });
      const failed = await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_periodic',
        date: '2025-07-10',
        passed: false,
      });
      expect(failed).toMatchObject({
        nextDueDate: null,
        lastVerification: { date: '2025-07-10', passed: false },
        lastService: { result: 'fail' },
      });
      const repaired = await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_after_repair',
        date: '2025-07-20',
        passed: true,
        certificateNumber: 'KĐ-2',
      });
      expect(repaired).toMatchObject({ nextDueDate: '2027-01-20', lastService: { certificateNumber: 'KĐ-2' } });
    });

    it('lets a calibration change the last service but not the due date', async () => {
      const i = await r.instrument(ownerId, taxiTypeId);
      await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_initial',
        date: '2025-01-31',
        passed: true,
      });
      const after = await r.instruments.recordOutcome(undefined, i.id, { service: 'calibration', date: '2025-03-01' });
      expect(after).toMatchObject({
        lastService: { service: 'calibration', date: '2025-03-01', result: null },
        lastVerification: { date: '2025-01-31', passed: true },
        nextDueDate: addMonths('2025-01-31', 18),
      });
      expect(after.nextDueDate).toBe('2026-07-31');
    });

    it('recomputes from the whole history, so books can be loaded in any order', async () => {
      const i = await r.instrument(ownerId, taxiTypeId);
      await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_periodic',
        date: '2025-03-01',
        passed: true,
      });
      const older = await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_periodic',
        date: '2023-03-01',
        passed: false,
      });
      expect(older).toMatchObject({ nextDueDate: '2026-09-01', lastService: { date: '2025-03-01', result: 'pass' } });
    });

    it('refuses a duplicate, a future date, a verification without a result and an unknown instrument', async () => {
      const i = await r.instrument(ownerId, taxiTypeId);
      await r.instruments.recordOutcome(undefined, i.id, {
        service: 'verification_periodic',
        date: '2025-03-01',
        passed: true,
      });
      await expect(
        r.instruments.recordOutcome(undefined, i.id, {
          service: 'verification_periodic',
          date: '2025-03-01',
          passed: true,
        }),
      ).rejects.toThrow(ConflictError);
      const tomorrow = addMonths(todayInVietnam(), 1);
      await expect(
        r.instruments.recordOutcome(undefined, i.id, { service: 'calibration', date: tomorrow }),
      ).rejects.toThrow(UnprocessableError);
      await expect(
        r.instruments.recordOutcome(undefined, i.id, { service: 'verification_initial', date: '2024-01-01' }),
      ).rejects.toThrow(InvalidInputError);
      await expect(
        r.instruments.recordOutcome(undefined, '00000000-0000-4000-8000-000000000000', {
          service: 'calibration',
          date: '2024-01-01',
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('runs inside the caller’s transaction, which can roll it back', async () => {
      const i = await r.instrument(ownerId, taxiTypeId);
      await expect(
        sys.app.get(DataSource).transaction(async (manager) => {
          const inside = await r.instruments.recordOutcome(new Tx(manager), i.id, {
            service: 'verification_periodic',
            date: '2025-03-01',
            passed: true,
          });
          expect(inside.nextDueDate).toBe('2026-09-01');
          throw new Error('approval refused later');
        }),
      ).rejects.toThrow('approval refused later');
      expect((await r.instruments.get(i.id)).nextDueDate).toBeNull();
    });

    it('recomputes instruments whose last verification falls under a cycle added later, and no others', async () => {
      const type = await r.type({
        cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
      });
      const old = await r.instrument(ownerId, type.id);
      const recent = await r.instrument(ownerId, type.id);
      await r.instruments.recordOutcome(undefined, old.id, {
        service: 'verification_periodic',
        date: '2024-01-05',
        passed: true,
      });
      await r.instruments.recordOutcome(undefined, recent.id, {
        service: 'verification_periodic',
        date: '2025-01-05',
        passed: true,
      });
      expect((await r.instruments.get(recent.id)).nextDueDate).toBe('2026-01-05');

      const added = await r.types.addCycle(
        type.id,
        {
          cycleMonths: 24,
          effectiveFrom: '2024-10-15',
          legalBasis: 'TT 03/2024/TT-BKHCN',
        },
        TEST_SETUP,
      );
      expect(added.instrumentsRecomputed).toBe(1);
      expect((await r.instruments.get(recent.id)).nextDueDate).toBe('2027-01-05');
      expect((await r.instruments.get(old.id)).nextDueDate).toBe('2025-01-05');

      await expect(
        r.types.addCycle(type.id, { cycleMonths: 6, effectiveFrom: '2024-10-15', legalBasis: 'x' }, TEST_SETUP),
      ).rejects.toThrow(ConflictError);
      const ended = await r.types.addCycle(
        type.id,
        {
          cycleMonths: null,
          effectiveFrom: '2025-01-01',
          legalBasis: 'removed from the list',
        },
        TEST_SETUP,
      );
      expect(ended.instrumentsRecomputed).toBe(1);
      expect((await r.instruments.get(recent.id)).nextDueDate).toBeNull();
    });
  });

  describe('standards', () => {
    it('tells the calibration library whether a standard is usable on a date, and why not', async () => {
      const s = await r.standard();
      expect(await r.standards.standardStatus(s.id, '2024-06-01')).toMatchObject({
        usable: false,
        reasons: ['no_calibration'],
      });
      await r.standards.addCalibration(
        s.id,
        calibrationBody({ calibrationDate: '2024-03-01', dueDate: '2025-03-01' }),
        TEST_SETUP,
      );
      expect(await r.standards.standardStatus(s.id, '2024-06-01')).toMatchObject({ usable: true, reasons: [] });
      await r.standards.addCheck(s.id, { checkDate: '2024-09-01', performedBy: 'Lê Văn C', passed: false }, TEST_SETUP);
      expect(await r.standards.standardStatus(s.id, '2024-09-02')).toMatchObject({
        usable: false,
        reasons: ['failed_intermediate_check'],
      });
      expect((await r.standards.standardStatus(s.id, '2025-03-02')).reasons).toEqual([
        'calibration_overdue',
        'failed_intermediate_check',
      ]);
      await r.standards.update(s.id, { status: 'out_of_service' }, TEST_SETUP);
      expect((await r.standards.standardStatus(s.id, '2024-06-01')).reasons).toEqual(['out_of_service']);
    });

    it('refuses a link that would close a traceability cycle, however long', async () => {
      const a = await r.standard({ level: 'reference' });
      const b = await r.standard();
      const c = await r.standard({ level: 'check' });
      await r.standards.addCalibration(
        b.id,
        calibrationBody({ traceableToStandardId: a.id, externalReference: undefined }),
        TEST_SETUP,
      );
      await r.standards.addCalibration(
        c.id,
        calibrationBody({ traceableToStandardId: b.id, externalReference: undefined }),
        TEST_SETUP,
      );
      await expect(
        r.standards.addCalibration(
          a.id,
          calibrationBody({ traceableToStandardId: c.id, externalReference: undefined }),
          TEST_SETUP,
        ),
      ).rejects.toMatchObject({ code: 'standard.traceability_cycle' });
      await expect(
        r.standards.addCalibration(
          a.id,
          calibrationBody({ traceableToStandardId: a.id, externalReference: undefined }),
          TEST_SETUP,
        ),
      ).rejects.toMatchObject({ code: 'standard.traceability_cycle' });
    });
  });
});
