import { DomainError } from '#libs/core';
import type { MpeRule } from '#libs/registry';
import { coverageFactor } from '#libs/uncertainty';
import { resolveTerm, type TermContext } from '../budget/budget-terms.js';
import {
  computePoint,
  decisionRuleFor,
  binaryOutcome,
  isCapable,
  itemOutcome,
  mpeForPoint,
  passedForRegistry,
  pointError,
  type MeasuredPoint,
} from './computation.js';

const gauge = { accuracyClass: '1.6', rangeMin: '0', rangeMax: '1.6', rangeUnit: 'MPa' };
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
  const rule = (r: MpeRule, multiplier = '1') => ({ rule: r, multiplier });
  const at = (reading: string, unit: string) => ({ reading, unit });

  it('uses the accuracy class and the span of the range for a percent-of-full-scale class rule', () => {
    expect(mpeForPoint(rule(byClass), gauge, at('1.002', 'MPa')).mpe).toBe(0.0256);
    expect(mpeForPoint(rule(byClass), { ...gauge, rangeMin: '-0.1', rangeMax: '1.5' }, at('1', 'MPa')).mpe).toBe(
      0.0256,
    );
  });

  it('gives a 0–1600 kPa gauge on a type in MPa its MPE in the unit of the readings', () => {
    const kPaGauge = { accuracyClass: '1.6', rangeMin: '0', rangeMax: '1600', rangeUnit: 'kPa' };
    // The bug: 1.6 % of "1600" read as MPa gave 25.6 MPa and every point passed.
    expect(mpeForPoint(rule({ kind: 'accuracy_class_of_span' }), kPaGauge, at('0.8', 'MPa')).mpe).toBe(0.0256);
    expect(mpeForPoint(rule({ kind: 'accuracy_class_of_span' }), kPaGauge, at('800', 'kPa')).mpe).toBe(25.6);
  });

  it('names the field when the dimensions do not agree', () => {
    const found = mpeForPoint(rule({ kind: 'accuracy_class_of_span' }), { ...gauge, rangeUnit: 'kPa' }, at('1', 'kg'));
    expect(found).toMatchObject({ mpe: null, unitMismatch: true });
    expect(found.field?.('points[2]')).toBe('instrument.rangeUnit');
    const fixed = mpeForPoint(rule({ kind: 'fixed', value: 0.1, unit: 'L' }), gauge, at('1', 'kg'));
    expect(fixed.field?.('points[0]')).toBe('points[0].unit');
  });

  it('takes percent of reading of the indication, and applies the multiplier of the rule (in-service ×2)', () => {
    expect(mpeForPoint(rule({ kind: 'percent_of_reading', p: 0.5 }), gauge, at('20.06', 'L')).mpe).toBe(0.1003);
    expect(mpeForPoint(rule({ kind: 'percent_of_reading', p: 0.5 }, '2'), gauge, at('20.06', 'L')).mpe).toBe(0.2006);
  });

  it('bands a class III scale on its load, initial and in-service', () => {
    const bands: MpeRule = {
      kind: 'scale_interval_bands',
      classes: {
        III: [
          { upToE: 500, mpeE: 0.5 },
          { upToE: 2000, mpeE: 1 },
          { upToE: 10000, mpeE: 1.5 },
        ],
      },
    };
    const scale = {
      accuracyClass: 'III',
      rangeMin: null,
      rangeMax: '60',
      rangeUnit: 'kg',
      scaleInterval: '20',
      resolutionUnit: 'g',
    };
    const point = (load: string) => ({ reading: load, load, unit: 'kg' });
    expect(mpeForPoint(rule(bands), scale, point('10')).mpe).toBe(0.01); // 500 e
    expect(mpeForPoint(rule(bands), scale, point('40')).mpe).toBe(0.02); // 2000 e
    expect(mpeForPoint(rule(bands, '2'), scale, point('10')).mpe).toBe(0.02);
    expect(mpeForPoint(rule(bands, '2'), scale, point('40')).mpe).toBe(0.04);
  });

  it('says what is missing instead of throwing', () => {
    expect(mpeForPoint(rule(byClass), { ...gauge, accuracyClass: null }, at('1', 'MPa'))).toMatchObject({
      mpe: null,
      problem: expect.stringMatching(/accuracy class/) as string,
    });
    expect(mpeForPoint(null, gauge, at('1', 'MPa')).problem).toMatch(/no MPE rule/);
  });
});

describe('verification is binary, and capability is U against the MPE', () => {
  const point: MeasuredPoint = {
    nominal: '10',
    unit: 'kg',
    referenceValue: '10',
    readings: ['10.009'],
    corrections: [],
  };
  const terms = [
    {
      name: 'standard',
      termKind: 'custom',
      input: { kind: 'type_b_expanded', name: 'standard', expandedUncertainty: 0.004, coverageFactor: 2 },
    },
  ] as never;
  const compute = (binary: boolean) =>
    computePoint(
      point,
      terms,
      { coverageProbability: 0.9545, rule: { kind: 'guarded' }, mpe: { mpe: 0.01 }, binary },
      { point: 'points[0]', terms: ['points[0].budget[0]'] },
    );

  it('a guarded rule gives conditional for a calibration and fail for a verification', () => {
    expect(compute(false).decision?.outcome).toBe('conditional_pass');
    expect(compute(true).decision?.outcome).toBe('fail');
  });

  it('states U / MPE per point and flags it above 1/divisor', () => {
    const c = compute(true);
    expect(c.capabilityRatio).toBeCloseTo(0.4, 6);
    expect(isCapable(c.capabilityRatio, '3')).toBe(false);
    expect(isCapable(c.capabilityRatio, '2')).toBe(true);
    expect(binaryOutcome('conditional_fail')).toBe('fail');
    expect(binaryOutcome('pass')).toBe('pass');
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
      computePoint(
        point,
        terms,
        { coverageProbability: 0.9545, rule: null, mpe: { mpe: null, problem: 'x', field: (p: string) => p } },
        paths,
      ).decision,
    ).toBeNull();
    expect(() =>
      computePoint(
        point,
        terms,
        {
          coverageProbability: 0.9545,
          rule: { kind: 'simple' },
          mpe: { mpe: null, problem: 'no class', field: (p: string) => p },
        },
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
