import { DomainError } from '#libs/core';
import type { MpeRule } from '#libs/registry';
import { coverageFactor } from '#libs/uncertainty';
import { resolveTerm, type TermContext } from '../budget/budget-terms.js';
import {
  computePoint,
  decisionRuleFor,
  fullScaleOf,
  itemOutcome,
  mpeForPoint,
  passedForRegistry,
  pointError,
  type MeasuredPoint,
} from './computation.js';

const gauge = { accuracyClass: '1.6', rangeMin: '0', rangeMax: '1.6' };
const byClass: MpeRule = {
  kind: 'by_accuracy_class',
  classes: { '1': { kind: 'percent_of_full_scale', p: 1 }, '1.6': { kind: 'percent_of_full_scale', p: 1.6 } },
};

describe('error at a point', () => {
  it('is the mean of the readings plus the corrections minus the reference, in exact decimals', () => {
    const point: MeasuredPoint = {
      nominal: '1',
      unit: 'MPa',
      referenceValue: '1.0000',
      readings: ['1.002', '1.003', '1.001'],
      corrections: [{ name: 'head correction', value: '-0.0005' }],
    };
    expect(pointError(point)).toEqual({ indicatedMean: '1.002', correctionTotal: '-0.0005', error: '0.0015' });
    expect(pointError({ ...point, corrections: [] }).error).toBe('0.0020');
  });
});

describe('MPE at a point', () => {
  it('uses the accuracy class and the span of the range for a percent-of-full-scale class rule', () => {
    expect(fullScaleOf(gauge)).toBe(1.6);
    expect(fullScaleOf({ ...gauge, rangeMin: '-0.1', rangeMax: '0.6' })).toBeCloseTo(0.7, 12);
    expect(fullScaleOf({ ...gauge, rangeMin: null })).toBe(1.6);
    expect(mpeForPoint(byClass, gauge, '1.002', 'MPa').mpe).toBe(0.0256);
  });

  it('takes percent of reading of the indication', () => {
    expect(mpeForPoint({ kind: 'percent_of_reading', p: 0.5 }, gauge, '20.06', 'L').mpe).toBe(0.1003);
  });

  it('says what is missing instead of throwing', () => {
    expect(mpeForPoint(byClass, { ...gauge, accuracyClass: null }, '1', 'MPa')).toEqual({
      mpe: null,
      problem: expect.stringMatching(/accuracy class/) as string,
    });
    expect(mpeForPoint(null, gauge, '1', 'MPa').problem).toMatch(/no MPE rule/);
    expect(mpeForPoint({ kind: 'fixed', value: 0.1, unit: 'L' }, gauge, '1', 'mL').problem).toMatch(/stated in L/);
  });
});

describe('which decision rule applies', () => {
  it("verification always decides with the procedure's rule, simple by default", () => {
    expect(decisionRuleFor('verification_periodic', { requested: false, rule: null }, null)).toEqual({
      rule: { kind: 'simple' },
      source: 'procedure',
    });
    expect(
      decisionRuleFor(
        'verification_initial',
        { requested: false, rule: null },
        { kind: 'guarded', guardBandFactor: '0.5' },
      ),
    ).toEqual({
      rule: { kind: 'guarded', guardBandFactor: '0.5' },
      source: 'procedure',
    });
  });

  it('calibration decides only when the customer asked, with the rule of the request', () => {
    expect(
      decisionRuleFor('calibration', { requested: false, rule: { kind: 'simple' } }, { kind: 'simple' }),
    ).toBeNull();
    expect(decisionRuleFor('calibration', { requested: true, rule: { kind: 'guarded' } }, { kind: 'simple' })).toEqual({
      rule: { kind: 'guarded' },
      source: 'request',
    });
    expect(() => decisionRuleFor('calibration', { requested: true, rule: null }, null)).toThrow(
      expect.objectContaining({ code: 'result.decision_rule_required' }) as DomainError,
    );
  });

  it('does not handle testing', () => {
    expect(() => decisionRuleFor('testing', { requested: false, rule: null }, null)).toThrow(
      expect.objectContaining({ code: 'result.service_not_supported' }) as DomainError,
    );
  });
});

describe('a computed point', () => {
  const ctx: TermContext = {
    instrumentResolution: '0.005',
    standards: [
      {
        id: 's1',
        code: 'P-01',
        unit: 'MPa',
        certificate: {
          id: 'c',
          certificateNumber: 'V08',
          values: [{ nominal: '1', unit: 'MPa', expandedUncertainty: '0.0016', coverageFactor: '2' }],
        },
        statedUncertainty: null,
      },
    ],
  };
  const point: MeasuredPoint = {
    nominal: '1',
    unit: 'MPa',
    referenceValue: '1.0000',
    readings: ['1.002', '1.003', '1.001'],
    corrections: [{ name: 'head correction', value: '-0.0005' }],
  };
  const terms = [
    { kind: 'type_a_readings' as const, name: 'repeatability' },
    { kind: 'reference_standard' as const, name: 'reference standard' },
    { kind: 'type_b_resolution' as const, name: 'resolution' },
  ].map((t, j) => resolveTerm(t, point, ctx, `points[0].budget[${j}]`));
  const paths = { point: 'points[0]', terms: ['points[0].budget[0]', 'points[0].budget[1]', 'points[0].budget[2]'] };

  it('matches a hand calculation (GUM: u_c, Welch–Satterthwaite, Student t) and decides against ±MPE', () => {
    const c = computePoint(
      point,
      terms,
      { coverageProbability: 0.9545, rule: { kind: 'simple' }, mpe: { mpe: 0.0256 } },
      paths,
    );
    // By hand: s = 0.001 → u_A = 0.001/√3, ν = 2; u_std = 0.0016/2; u_res = 0.005/(2√3).
    const uA = 0.001 / Math.sqrt(3);
    const uc = Math.sqrt(uA ** 2 + 0.0008 ** 2 + (0.005 / 2 / Math.sqrt(3)) ** 2);
    const nu = uc ** 4 / (uA ** 4 / 2);
    expect(c.error).toBe('0.0015');
    expect(c.evaluation.combinedStandardUncertainty).toBeCloseTo(uc, 15);
    expect(uc).toBeCloseTo(0.00174833, 8);
    expect(c.evaluation.effectiveDegreesOfFreedom).toBeCloseTo(nu, 9);
    expect(Math.floor(nu)).toBe(168);
    expect(c.evaluation.coverageFactor).toBeCloseTo(coverageFactor(0.9545, 168), 12);
    expect(c.evaluation.coverageFactor).toBeCloseTo(2.015, 3);
    expect(c.evaluation.roundedExpandedUncertainty.text).toBe('0.0035');
    expect(c.evaluation.roundedResult?.text).toBe('0.0015');
    expect(c.decision?.outcome).toBe('pass');
  });

  it('applies the guard band w = U under guarded acceptance', () => {
    const near = { ...point, readings: ['1.0245', '1.0245', '1.0245'], corrections: [] };
    // Identical readings: s = 0, so the Type A row contributes nothing and ν_eff is infinite (k = 2).
    const t = terms.map((x, j) =>
      j === 0 ? resolveTerm({ kind: 'type_a_readings', name: 'repeatability' }, near, ctx, 'p') : x,
    );
    const c = computePoint(
      near,
      t,
      { coverageProbability: 0.9545, rule: { kind: 'guarded' }, mpe: { mpe: 0.0256 } },
      paths,
    );
    expect(c.evaluation.effectiveDegreesOfFreedom).toBe(Infinity);
    expect(c.evaluation.coverageFactor).toBe(2);
    // error 0.0245 ≤ 0.0256 but > 0.0256 − U (U ≈ 0.0033)
    expect(c.decision?.outcome).toBe('conditional_pass');
    const simple = computePoint(
      near,
      t,
      { coverageProbability: 0.9545, rule: { kind: 'simple' }, mpe: { mpe: 0.0256 } },
      paths,
    );
    expect(simple.decision?.outcome).toBe('pass');
  });

  it('makes no decision without a rule, and refuses one without an MPE', () => {
    expect(
      computePoint(point, terms, { coverageProbability: 0.9545, rule: null, mpe: { mpe: null, problem: 'x' } }, paths)
        .decision,
    ).toBeNull();
    expect(() =>
      computePoint(
        point,
        terms,
        { coverageProbability: 0.9545, rule: { kind: 'simple' }, mpe: { mpe: null, problem: 'no class' } },
        paths,
      ),
    ).toThrow(expect.objectContaining({ code: 'result.mpe_unknown' }) as DomainError);
  });

  it("names the request's field when the maths refuses the budget", () => {
    const one = { ...point, readings: ['1.002'] };
    const t = [resolveTerm({ kind: 'type_a_readings', name: 'repeatability' }, one, ctx, 'p'), terms[1]!];
    expect(() => computePoint(one, t, { coverageProbability: 0.9545, rule: null, mpe: { mpe: 1 } }, paths)).toThrow(
      expect.objectContaining({
        code: 'uncertainty.invalid_input',
        details: { errors: [expect.objectContaining({ field: 'points[0].readings' })] },
      }) as DomainError,
    );
    const dup = [
      terms[1]!,
      { ...terms[2]!, name: 'reference standard', input: { ...terms[2]!.input, name: 'reference standard' } },
    ];
    expect(() => computePoint(point, dup, { coverageProbability: 0.9545, rule: null, mpe: { mpe: 1 } }, paths)).toThrow(
      expect.objectContaining({
        details: { errors: [expect.objectContaining({ field: 'points[0].budget[1].name' })] },
      }) as DomainError,
    );
  });
});

describe('a point where Welch–Satterthwaite does not apply', () => {
  const ctx: TermContext = {
    instrumentResolution: null,
    standards: [
      {
        id: 's1',
        code: 'P-01',
        unit: 'MPa',
        certificate: {
          id: 'c',
          certificateNumber: 'V08',
          values: [{ nominal: '1', unit: 'MPa', expandedUncertainty: '0.0016', coverageFactor: '2' }],
        },
        statedUncertainty: null,
      },
    ],
  };
  // Two readings 0.01 apart dominate: ν_eff ≈ 1.05 → k = t(1) = 13.97.
  const point: MeasuredPoint = {
    nominal: '1',
    unit: 'MPa',
    referenceValue: '1',
    readings: ['1.000', '1.010'],
    corrections: [],
  };
  const terms = [
    { kind: 'type_a_readings' as const, name: 'repeatability' },
    { kind: 'reference_standard' as const, name: 'reference standard' },
  ].map((t, j) => resolveTerm(t, point, ctx, `points[0].budget[${j}]`));
  const paths = { point: 'points[0]', terms: ['points[0].budget[0]', 'points[0].budget[1]'] };

  it('is refused with the reason, naming the point’s budget', () => {
    expect(() =>
      computePoint(point, terms, { coverageProbability: 0.9545, rule: null, mpe: { mpe: 1 } }, paths),
    ).toThrow(
      expect.objectContaining({
        code: 'uncertainty.welch_satterthwaite_not_applicable',
        details: expect.objectContaining({
          problem: 'coverage_factor_too_large',
          errors: [expect.objectContaining({ field: 'points[0].budget' })],
        }) as unknown,
      }) as DomainError,
    );
  });

  it('gets k = 2, with the reason, when the point asks for the fallback', () => {
    const c = computePoint(
      point,
      terms,
      { coverageProbability: 0.9545, rule: null, mpe: { mpe: 1 }, coverageFactorFallback: 'k2' },
      paths,
    );
    expect(c.evaluation.coverageFactor).toBe(2);
    expect(c.evaluation.coverageFactorFallback).toMatchObject({
      coverageFactor: 2,
      problem: 'coverage_factor_too_large',
    });
  });
});

describe('outcome of the item', () => {
  it('is the worst decision of the reported series; as found is kept when adjusted', () => {
    const points = [
      { series: 'as_found' as const, decision: 'fail' as const },
      { series: 'as_left' as const, decision: 'pass' as const },
      { series: 'as_left' as const, decision: 'conditional_pass' as const },
    ];
    expect(itemOutcome(points, true)).toEqual({ overall: 'conditional_pass', asFound: 'fail' });
    expect(itemOutcome([{ series: 'as_found', decision: null }], false)).toEqual({ overall: null, asFound: null });
  });

  it('maps to the registry: a verification passes only on a clear pass', () => {
    expect(passedForRegistry('verification_periodic', 'pass')).toBe(true);
    expect(passedForRegistry('verification_periodic', 'conditional_pass')).toBe(false);
    expect(passedForRegistry('calibration', 'fail')).toBe(false);
    expect(passedForRegistry('calibration', 'conditional_fail')).toBeNull();
    expect(passedForRegistry('calibration', null)).toBeNull();
  });
});
