// Measurement standards over HTTP: certificates from higher labs, intermediate checks, the
// traceability chain up to the national standard, whether a standard is usable, and what falls due.
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, fields, allPages, type Client } from './support/http.js';
import { standardBody, calibrationBody, staffSession, businessKey, createOrganization } from './support/factories.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('measurement standards (HTTP)', () => {
  let sys: TestSystem;
  let admin: Client;
  let technician: Client;
  let reception: Client;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = as(sys, await staffSession(sys, ['admin']));
    technician = as(sys, await staffSession(sys, ['technician']));
    reception = as(sys, await staffSession(sys, ['reception']));
  });
  afterAll(async () => sys?.close());

  const newStandard = async (overrides: object = {}): Promise<{ id: string; code: string }> =>
    (await technician.post('/standards', standardBody(overrides)).expect(201)).body;

  it('lets technicians and the admin register standards; all staff read them; businesses do not', async () => {
    const body = standardBody({
      level: 'reference',
      uncertainty: '0.0008',
      coverageFactor: '2',
      serialNumber: 'BC-20-017',
    });
    const created = await technician.post('/standards', body).expect(201);
    expect(created.body).toMatchObject({
      code: body.code,
      level: 'reference',
      uncertainty: '0.0008',
      status: 'in_service',
      latestCalibration: null,
    });
    await reception.get(`/standards/${created.body.id}`).expect(200);
    await reception.post('/standards', standardBody()).expect(403);
    const customer = as(sys, { key: await businessKey(sys, (await createOrganization(sys)).id) });
    await customer.get(`/standards/${created.body.id}`).expect(403);
    const dup = await admin.post('/standards', { ...standardBody(), code: body.code }).expect(409);
    expect(dup.body).toMatchObject({ code: 'standard.code_taken', errors: [{ field: 'code' }] });
  });

  it('refuses bad standards, certificates and checks with the path of every bad field', async () => {
    const bad = await technician
      .post('/standards', { ...standardBody(), level: 'gold', rangeMin: '10', rangeMax: 'x', coverageFactor: '0' })
      .expect(400);
    expect(fields(bad.body)).toEqual(['coverageFactor', 'level', 'rangeMax']);
    const s = await newStandard();
    const cert = await technician
      .post(`/standards/${s.id}/calibrations`, {
        ...calibrationBody(),
        calibrationDate: '2024-02-30',
        values: [
          { nominal: '20', unit: 'L', expandedUncertainty: '-0.1', coverageFactor: '2' },
          { nominal: 'twenty', unit: '', coverageFactor: '0' },
        ],
        externalReference: { kind: 'friend', name: '' },
      })
      .expect(400);
    expect(fields(cert.body)).toEqual([
      'calibrationDate',
      'externalReference.kind',
      'externalReference.name',
      'values[0].expandedUncertainty',
      'values[1].coverageFactor',
      'values[1].expandedUncertainty',
      'values[1].nominal',
      'values[1].unit',
    ]);
    const both = await technician
      .post(`/standards/${s.id}/calibrations`, calibrationBody({ traceableToStandardId: s.id }))
      .expect(400);
    expect(fields(both.body)).toEqual(['traceableToStandardId']);
    const neither = await technician
      .post(`/standards/${s.id}/calibrations`, calibrationBody({ externalReference: undefined }))
      .expect(400);
    expect(fields(neither.body)).toEqual(['traceableToStandardId']);
    const backwards = await technician
      .post(
        `/standards/${s.id}/calibrations`,
        calibrationBody({ calibrationDate: '2025-01-01', dueDate: '2024-01-01' }),
      )
      .expect(400);
    expect(fields(backwards.body)).toEqual(['dueDate']);
    const check = await technician
      .post(`/standards/${s.id}/checks`, { checkDate: 'yesterday', passed: 'yes' })
      .expect(400);
    expect(fields(check.body)).toEqual(['checkDate', 'passed', 'performedBy']);
  });

  it('answers 404 for an unknown standard everywhere, and 422 for an unknown parent', async () => {
    await technician.get(`/standards/${UNKNOWN}`).expect(404);
    await technician.patch(`/standards/${UNKNOWN}`, { name: 'x' }).expect(404);
    await technician.get(`/standards/${UNKNOWN}/status`).expect(404);
    await technician.get(`/standards/${UNKNOWN}/traceability`).expect(404);
    await technician.post(`/standards/${UNKNOWN}/calibrations`, calibrationBody()).expect(404);
    await technician
      .post(`/standards/${UNKNOWN}/checks`, { checkDate: '2024-01-01', performedBy: 'A', passed: true })
      .expect(404);
    await technician.get(`/standards/${UNKNOWN}/calibrations`).expect(404);
    const s = await newStandard();
    const orphan = await technician
      .post(
        `/standards/${s.id}/calibrations`,
        calibrationBody({ externalReference: undefined, traceableToStandardId: UNKNOWN }),
      )
      .expect(422);
    expect(fields(orphan.body)).toEqual(['traceableToStandardId']);
  });

  describe('traceability', () => {
    // reference R ← VMI national standard (2024-01-15 … 2025-01-15); working W ← R (2024-06-01 … 2025-06-01).
    let r: { id: string; code: string };
    let w: { id: string; code: string };
    beforeAll(async () => {
      r = await newStandard({ level: 'reference' });
      w = await newStandard({ level: 'working' });
      await technician
        .post(
          `/standards/${r.id}/calibrations`,
          calibrationBody({
            certificateNumber: 'V07.24.0115',
            calibrationDate: '2024-01-15',
            dueDate: '2025-01-15',
            values: [
              { nominal: '20', value: '20.0012', unit: 'L', expandedUncertainty: '0.0016', coverageFactor: '2' },
              { nominal: '10', value: '10.0004', unit: 'L', expandedUncertainty: '0.0010', coverageFactor: '2.05' },
            ],
          }),
        )
        .expect(201);
      await admin
        .post(
          `/standards/${w.id}/calibrations`,
          calibrationBody({
            issuingLab: 'Trung tâm Kỹ thuật TĐC (this centre)',
            certificateNumber: 'HC-24-0601',
            calibrationDate: '2024-06-01',
            dueDate: '2025-06-01',
            externalReference: undefined,
            traceableToStandardId: r.id,
            values: [{ nominal: '20', value: '19.998', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
          }),
        )
        .expect(201);
    });

    it('gives the chain up to the national standard, with certificate, dates, U and k of each link', async () => {
      const res = await reception.get(`/standards/${w.id}/traceability?at=2024-12-01`).expect(200);
      expect(res.body).toMatchObject({
        standardId: w.id,
        at: '2024-12-01',
        valid: true,
        reachesNationalStandard: true,
        end: { kind: 'national_standard', name: 'Chuẩn quốc gia dung tích — VMI' },
        links: [
          {
            standard: { id: w.id, level: 'working' },
            evaluatedAt: '2024-12-01',
            valid: true,
            certificate: {
              certificateNumber: 'HC-24-0601',
              calibrationDate: '2024-06-01',
              dueDate: '2025-06-01',
              traceableTo: { kind: 'standard', standard: { id: r.id, code: r.code } },
              values: [{ nominal: '20', value: '19.998', expandedUncertainty: '0.004', coverageFactor: '2' }],
            },
          },
          {
            standard: { id: r.id, level: 'reference' },
            evaluatedAt: '2024-06-01',
            valid: true,
            certificate: {
              certificateNumber: 'V07.24.0115',
              dueDate: '2025-01-15',
              traceableTo: { kind: 'national_standard' },
              values: [
                { nominal: '20', expandedUncertainty: '0.0016', coverageFactor: '2' },
                { nominal: '10', expandedUncertainty: '0.0010', coverageFactor: '2.05' },
              ],
            },
          },
        ],
      });
    });

    it('judges each link on the date it was relied on: the parent lapsing later does not break the chain, the standard lapsing does', async () => {
      const afterParentLapsed = await technician.get(`/standards/${w.id}/traceability?at=2025-03-01`).expect(200);
      expect(afterParentLapsed.body.valid).toBe(true);
      expect(afterParentLapsed.body.links.map((l: { valid: boolean }) => l.valid)).toEqual([true, true]);
      const overdue = await technician.get(`/standards/${w.id}/traceability?at=2025-07-01`).expect(200);
      expect(overdue.body).toMatchObject({
        valid: false,
        reachesNationalStandard: true,
        links: [{ valid: false }, { valid: true }],
      });
      const before = await technician.get(`/standards/${w.id}/traceability?at=2024-05-01`).expect(200);
      expect(before.body).toMatchObject({
        valid: false,
        end: null,
        links: [{ standard: { id: w.id }, valid: false, certificate: null }],
      });
    });

    it('marks a link invalid when the parent was itself out of calibration when it calibrated the child', async () => {
      const late = await newStandard({ level: 'check' });
      await technician
        .post(
          `/standards/${late.id}/calibrations`,
          calibrationBody({
            calibrationDate: '2025-02-01',
            dueDate: '2026-02-01',
            externalReference: undefined,
            traceableToStandardId: r.id,
          }),
        )
        .expect(201);
      const res = await technician.get(`/standards/${late.id}/traceability?at=2025-03-01`).expect(200);
      expect(res.body).toMatchObject({
        valid: false,
        links: [{ valid: true }, { standard: { id: r.id }, evaluatedAt: '2025-02-01', valid: false }],
      });
    });

    it('ends at an accredited laboratory without claiming the national standard', async () => {
      const s = await newStandard();
      await technician
        .post(
          `/standards/${s.id}/calibrations`,
          calibrationBody({ externalReference: { kind: 'accredited_lab', name: 'QUATEST 3 (VILAS 004)' } }),
        )
        .expect(201);
      const res = await technician.get(`/standards/${s.id}/traceability?at=2024-06-01`).expect(200);
      expect(res.body).toMatchObject({
        valid: true,
        reachesNationalStandard: false,
        end: { kind: 'accredited_lab', name: 'QUATEST 3 (VILAS 004)' },
      });
    });

    it('refuses with 409 a link that would close a cycle, and a certificate number recorded twice', async () => {
      const cycle = await technician
        .post(
          `/standards/${r.id}/calibrations`,
          calibrationBody({
            calibrationDate: '2025-01-10',
            dueDate: '2026-01-10',
            externalReference: undefined,
            traceableToStandardId: w.id,
          }),
        )
        .expect(409);
      expect(cycle.body).toMatchObject({
        code: 'standard.traceability_cycle',
        errors: [{ field: 'traceableToStandardId' }],
      });
      const self = await technician
        .post(
          `/standards/${w.id}/calibrations`,
          calibrationBody({ externalReference: undefined, traceableToStandardId: w.id }),
        )
        .expect(409);
      expect(self.body.code).toBe('standard.traceability_cycle');
      const again = await technician
        .post(`/standards/${r.id}/calibrations`, calibrationBody({ certificateNumber: 'V07.24.0115' }))
        .expect(409);
      expect(again.body).toMatchObject({
        code: 'standard.certificate_exists',
        errors: [{ field: 'certificateNumber' }],
      });
    });

    it('lists certificates newest first, a page at a time', async () => {
      const s = await newStandard();
      for (const [cal, due] of [
        ['2022-03-01', '2023-03-01'],
        ['2023-03-01', '2024-03-01'],
        ['2024-03-01', '2025-03-01'],
      ])
        await technician
          .post(`/standards/${s.id}/calibrations`, calibrationBody({ calibrationDate: cal, dueDate: due }))
          .expect(201);
      const all = await allPages<{ calibrationDate: string; values: unknown[] }>(
        async (c) =>
          (await reception.get(`/standards/${s.id}/calibrations?limit=2${c ? `&cursor=${c}` : ''}`).expect(200)).body,
      );
      expect(all.map((c) => c.calibrationDate)).toEqual(['2024-03-01', '2023-03-01', '2022-03-01']);
      expect(all.every((c) => c.values.length === 1)).toBe(true);
      expect((await reception.get(`/standards/${s.id}`).expect(200)).body.latestCalibration).toMatchObject({
        calibrationDate: '2024-03-01',
      });
    });
  });

  describe('status', () => {
    it('says whether a standard is usable on a date, and every reason why not', async () => {
      const s = await newStandard();
      const status = async (at: string) => (await reception.get(`/standards/${s.id}/status?at=${at}`).expect(200)).body;
      expect(await status('2024-06-01')).toMatchObject({
        usable: false,
        reasons: ['no_calibration'],
        calibration: null,
      });
      await technician
        .post(
          `/standards/${s.id}/calibrations`,
          calibrationBody({ calibrationDate: '2024-03-01', dueDate: '2025-03-01' }),
        )
        .expect(201);
      expect(await status('2024-06-01')).toMatchObject({
        usable: true,
        reasons: [],
        calibration: { dueDate: '2025-03-01' },
      });
      expect(await status('2025-03-01')).toMatchObject({ usable: true });
      expect(await status('2025-03-02')).toMatchObject({ usable: false, reasons: ['calibration_overdue'] });

      await technician
        .post(`/standards/${s.id}/checks`, { checkDate: '2024-08-01', performedBy: 'Phạm Thị D', passed: true })
        .expect(201);
      await technician
        .post(`/standards/${s.id}/checks`, {
          checkDate: '2024-10-01',
          performedBy: 'Phạm Thị D',
          passed: false,
          notes: 'lệch 0,01 L',
        })
        .expect(201);
      expect(await status('2024-09-01')).toMatchObject({
        usable: true,
        lastCheck: { checkDate: '2024-08-01', passed: true },
      });
      expect(await status('2024-10-01')).toMatchObject({
        usable: false,
        reasons: ['failed_intermediate_check'],
        lastCheck: { passed: false },
      });

      await technician.patch(`/standards/${s.id}`, { status: 'out_of_service' }).expect(200);
      expect((await status('2025-04-01')).reasons).toEqual([
        'out_of_service',
        'calibration_overdue',
        'failed_intermediate_check',
      ]);
      const checks = await reception.get(`/standards/${s.id}/checks?limit=1`).expect(200);
      expect(checks.body.items).toMatchObject([{ checkDate: '2024-10-01', passed: false }]);
      expect(checks.body.nextCursor).not.toBeNull();
      const bad = await reception.get(`/standards/${s.id}/status?at=01-10-2024`).expect(400);
      expect(fields(bad.body)).toEqual(['at']);
    });
  });

  describe('due list', () => {
    it('lists standards never calibrated first, then by due date, within the window; not retired ones nor later ones', async () => {
      const asOf = '2030-01-01';
      const never = await newStandard();
      const overdue = await newStandard();
      const soon = await newStandard();
      const later = await newStandard();
      const retired = await newStandard({ status: 'retired' });
      const cal = (id: string, calibrationDate: string, dueDate: string) =>
        technician.post(`/standards/${id}/calibrations`, calibrationBody({ calibrationDate, dueDate })).expect(201);
      await cal(overdue.id, '2028-12-01', '2029-12-01');
      await cal(soon.id, '2029-02-20', '2030-02-20');
      await cal(later.id, '2029-06-01', '2030-06-01');
      await cal(retired.id, '2028-01-01', '2029-01-01');
      const items = await allPages<{
        standard: { id: string };
        dueDate: string | null;
        overdue: boolean;
        daysUntilDue: number | null;
      }>(
        async (c) =>
          (await technician.get(`/standards/due?within=60&asOf=${asOf}&limit=2${c ? `&cursor=${c}` : ''}`).expect(200))
            .body,
      );
      const ids = items.map((i) => i.standard.id);
      const mine = ids.filter((id) => [never.id, overdue.id, soon.id, later.id, retired.id].includes(id));
      expect(mine).toEqual([never.id, overdue.id, soon.id]);
      const keys = items.map((i) => `${i.dueDate ?? '0001-01-01'}/${i.standard.id}`);
      expect(keys).toEqual([...keys].sort());
      expect(items.find((i) => i.standard.id === overdue.id)).toMatchObject({
        dueDate: '2029-12-01',
        overdue: true,
        daysUntilDue: -31,
      });
      expect(items.find((i) => i.standard.id === never.id)).toMatchObject({ dueDate: null, overdue: true });
      const bad = await technician.get('/standards/due?within=abc').expect(400);
      expect(fields(bad.body)).toEqual(['within']);
    });
  });
});
