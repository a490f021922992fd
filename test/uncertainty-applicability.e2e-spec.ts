// POST /uncertainty/evaluate where Welch–Satterthwaite does not apply (issue 9, item 7): 422 with the
// reason, or the requested k = 2 fallback stated on the answer; identical readings give ν_eff = ∞.
import type { StaffSession } from './support/auth.js';
import { api, staff, type Api } from './support/calibration.js';
import { startTestSystem, type TestSystem } from './support/system.js';

describe('uncertainty: the maths refuses what it cannot do', () => {
  let sys: TestSystem;
  let http: Api;
  let technician: StaffSession;

  beforeAll(async () => {
    sys = await startTestSystem();
    http = api(sys);
    technician = await staff(sys, ['technician']);
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
    const res = await http.post('/uncertainty/evaluate', correlated, technician);
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
    const res = await http.post('/uncertainty/evaluate', { ...correlated, coverageFactorFallback: 'k2' }, technician);
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
    const refused = await http.post('/uncertainty/evaluate', twoReadings, technician);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'uncertainty.welch_satterthwaite_not_applicable',
      problem: 'coverage_factor_too_large',
      errors: [{ field: 'components' }],
    });
    expect(refused.body.errors[0].message).toMatch(/k = 13\.97/);
    const fallback = await http.post(
      '/uncertainty/evaluate',
      { ...twoReadings, coverageFactorFallback: 'k2' },
      technician,
    );
    expect(fallback.status).toBe(200);
    expect(fallback.body.coverageFactor).toBe('2');
  });

  it('rejects an unknown fallback with 400', async () => {
    const res = await http.post('/uncertainty/evaluate', { ...correlated, coverageFactorFallback: 'k3' }, technician);
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('coverageFactorFallback');
  });

  it('identical readings: ν_eff is ∞ (null + flag), not a 54-digit number', async () => {
    const res = await http.post(
      '/uncertainty/evaluate',
      {
        components: [
          { kind: 'type_a_readings', name: 'rep', readings: [0.1, 0.1, 0.1] },
          { kind: 'type_b_resolution', name: 'res', resolution: 0.01 },
        ],
      },
      technician,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      effectiveDegreesOfFreedom: null,
      effectiveDegreesOfFreedomInfinite: true,
      coverageFactor: '2',
      coverageFactorMethod: 'conventional_k2',
    });
    expect(res.body.contributions[0]).toMatchObject({ standardUncertainty: '0', experimentalStandardDeviation: '0' });
  });
});
