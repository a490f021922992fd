// POST /uncertainty/evaluate where Welch–Satterthwaite does not apply: 422 with the
// reason, or the requested k = 2 fallback stated on the answer; identical readings give ν_eff = ∞. And
// recording results: a standard's U is interpolated between its calibrated points, refused outside.
import { addDays, todayInVietnam } from '#libs/registry';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, type Body } from './support/http.js';
import {
  pressureGaugeTypeBody,
  staffSession,
  createOrganization,
  authorise,
  createInstrumentType,
  createInstrument,
  createStandardWithCertificate,
  benchItem,
  type StaffSession,
} from './support/factories.js';

describe('uncertainty: the maths refuses what it cannot do', () => {
  let sys: TestSystem;
  let technician: StaffSession;

  beforeAll(async () => {
    sys = await startTestSystem();
    technician = await staffSession(sys, ['technician']);
  });
  afterAll(async () => sys?.close());

  // The case: ν = 4 each, correlated, a resistance near 100 Ω.
  const correlated = {
    components: [
      { kind: 'type_a', name: 'bridge reading', unit: 'Ω', standardUncertainty: 0.01, degreesOfFreedom: 4 },
      {
        kind: 'type_a',
        name: 'lead resistance',
        unit: 'Ω',
        standardUncertainty: 0.01,
        degreesOfFreedom: 4,
        sensitivityCoefficient: -1,
      },
    ],
    correlations: [{ first: 'bridge reading', second: 'lead resistance', coefficient: 0.99 }],
    result: 100.0213,
  };

  it('answers 422 with the reason and the field for correlated inputs with finite ν', async () => {
    const res = await as(sys, technician).post('/uncertainty/evaluate', correlated);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'uncertainty.welch_satterthwaite_not_applicable',
      problem: 'correlated_finite_dof',
      errors: [{ field: 'correlations[0]' }],
    });
    expect(res.body.errors[0].message).toMatch(/independent inputs only/);
    expect(res.body.detail).toMatch(/coverageFactorFallback/);
  });

  it("with coverageFactorFallback 'k2': k = 2, U = 2·u_c, and the answer says k = 2 was imposed and why", async () => {
    const res = await as(sys, technician).post('/uncertainty/evaluate', {
      ...correlated,
      coverageFactorFallback: 'k2',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      coverageFactor: '2',
      coverageFactorMethod: 'fallback_k2',
      degreesOfFreedomForCoverage: null,
      coverageFactorFallback: { kind: 'k2', coverageFactor: '2', problem: 'correlated_finite_dof' },
    });
    expect(res.body.coverageFactorFallback.reason).toMatch(/correlated.*k = 2 imposed as requested/);
    expect(Number(res.body.expandedUncertainty)).toBeCloseTo(2 * Number(res.body.combinedStandardUncertainty), 15);
    // u_c = 0.01·√(2 − 2·0.99) = 0.001414 → U = 0.00283 → "0.0028"; the result keeps U's four decimals, not "0".
    expect(res.body.roundedExpandedUncertainty.value).toBe('0.0028');
    expect(res.body.roundedResult.value).toBe('100.0213');
  });

  it('refuses a k above 10 (two readings, ν = 1) unless the fallback is asked', async () => {
    const twoReadings = { components: [{ kind: 'type_a_readings', name: 'rep', readings: [10.1, 10.3] }] };
    const refused = await as(sys, technician).post('/uncertainty/evaluate', twoReadings);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'uncertainty.welch_satterthwaite_not_applicable',
      problem: 'coverage_factor_too_large',
      errors: [{ field: 'components' }],
    });
    expect(refused.body.errors[0].message).toMatch(/k = 13\.97/);
    const fallback = await as(sys, technician).post('/uncertainty/evaluate', {
      ...twoReadings,
      coverageFactorFallback: 'k2',
    });
    expect(fallback.status).toBe(200);
    expect(fallback.body.coverageFactor).toBe('2');
  });

  it('rejects an unknown fallback with 400', async () => {
    const res = await as(sys, technician).post('/uncertainty/evaluate', {
      ...correlated,
      coverageFactorFallback: 'k3',
    });
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('coverageFactorFallback');
  });

  it('identical readings: ν_eff is ∞ (null + flag), not a 54-digit number', async () => {
    const res = await as(sys, technician).post('/uncertainty/evaluate', {
      components: [
        { kind: 'type_a_readings', name: 'rep', readings: [0.1, 0.1, 0.1] },
        { kind: 'type_b_resolution', name: 'res', resolution: 0.01 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      effectiveDegreesOfFreedom: null,
      effectiveDegreesOfFreedomInfinite: true,
      coverageFactor: '2',
      coverageFactorMethod: 'conventional_k2',
    });
    expect(res.body.contributions[0]).toMatchObject({ standardUncertainty: '0', experimentalStandardDeviation: '0' });
  });

  describe('recording results', () => {
    let admin: StaffSession;
    let owner: Body;
    let gauge: Body;
    let standard: Body;
    const bench = async (): Promise<string> =>
      (
        await benchItem(sys, admin, {
          organizationId: owner.id,
          instrumentId: gauge.id,
          service: 'calibration',
          technician,
        })
      ).itemId;
    const budget = [
      { kind: 'type_a_readings', name: 'repeatability' },
      { kind: 'reference_standard', name: 'reference standard' },
    ];
    const measured = async (points: object[]) => ({
      requestItemId: await bench(),
      measuredOn: todayInVietnam(),
      place: 'Phòng thí nghiệm Áp suất',
      standardIds: [standard.id],
      points,
    });

    beforeAll(async () => {
      admin = await staffSession(sys, ['admin']);
      const type = await createInstrumentType(sys, admin, pressureGaugeTypeBody());
      await authorise(sys, admin, technician, [
        { instrumentTypeId: type.id, service: 'calibration', activity: 'perform' },
      ]);
      owner = await createOrganization(sys);
      gauge = await createInstrument(sys, admin, owner.id, type.id, {
        accuracyClass: '1',
        rangeMin: '0',
        rangeMax: '1.6',
        rangeUnit: 'MPa',
        resolution: '0.001',
      });
      standard = (
        await createStandardWithCertificate(
          sys,
          admin,
          { name: 'Áp kế chuẩn', quantity: 'pressure', unit: 'MPa', uncertainty: '0.002', coverageFactor: '2' },
          {
            calibrationDate: addDays(todayInVietnam(), -100),
            dueDate: addDays(todayInVietnam(), 265),
            values: [
              { nominal: '0.4', value: '0.4', unit: 'MPa', expandedUncertainty: '0.0010', coverageFactor: '2' },
              { nominal: '1.2', value: '1.2', unit: 'MPa', expandedUncertainty: '0.0018', coverageFactor: '2' },
            ],
          },
        )
      ).standard;
    });

    it("interpolates the standard's U between its calibrated points and records which points it used", async () => {
      const res = await as(sys, technician).post(
        '/results',
        await measured([{ nominal: '1', referenceValue: '1.0000', readings: ['1.001', '1.002', '1.001'], budget }]),
      );
      expect(res.status).toBe(201);
      // 1 MPa is 3/4 of the way from 0.4 (U 0.0010) to 1.2 (U 0.0018): U = 0.0016, not the nearest 0.0018.
      expect(res.body.revision.points[0].budget.resolved[1]).toMatchObject({
        input: { kind: 'type_b_expanded', expandedUncertainty: '0.0016', coverageFactor: '2' },
        source: {
          kind: 'standard_certificate_interpolated',
          standardId: standard.id,
          interpolatedBetween: [
            { nominal: '0.4', expandedUncertainty: '0.0010', coverageFactor: '2' },
            { nominal: '1.2', expandedUncertainty: '0.0018', coverageFactor: '2' },
          ],
        },
      });
    });

    it('refuses a point outside the calibrated points with 422 naming the row, the standard and its range', async () => {
      const res = await as(sys, technician).post(
        '/results',
        await measured([{ nominal: '1.6', referenceValue: '1.6000', readings: ['1.601', '1.602', '1.601'], budget }]),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'result.standard_outside_calibrated_range',
        errors: [{ field: 'points[0].budget[1]' }],
      });
      expect(res.body.errors[0].message).toContain(`standard ${standard.code} (0.4 to 1.2 MPa)`);
    });

    it('refuses a point whose k would exceed 10, or records k = 2 with the reason when the point asks', async () => {
      // Two readings 0.01 MPa apart dominate the budget: ν_eff ≈ 1 → k = 13.97.
      const point = { nominal: '0.4', referenceValue: '0.4000', readings: ['0.400', '0.410'], budget };
      const refused = await as(sys, technician).post('/results', await measured([point]));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'uncertainty.welch_satterthwaite_not_applicable',
        problem: 'coverage_factor_too_large',
        errors: [{ field: 'points[0].budget' }],
      });
      const res = await as(sys, technician).post(
        '/results',
        await measured([{ ...point, coverageFactorFallback: 'k2' }]),
      );
      expect(res.status).toBe(201);
      const p = res.body.revision.points[0];
      expect(p.coverageFactor).toBe('2');
      expect(p.budget).toMatchObject({
        coverageFactorMethod: 'fallback_k2',
        coverageFactorFallbackRequested: 'k2',
        coverageFactorFallback: { kind: 'k2', coverageFactor: '2', problem: 'coverage_factor_too_large' },
      });
      expect(p.budget.coverageFactorFallback.reason).toMatch(/k = 13\.97 .*k = 2 imposed as requested/);
      const stored = (await as(sys, technician).get(`/results/${res.body.id}/revisions/1`)).body;
      expect(stored.points[0].budget.coverageFactorFallback.problem).toBe('coverage_factor_too_large');
    });
  });
});
