import { UncertaintyInputError } from './errors.js';
import { type BudgetInput, evaluateBudget } from './evaluate.js';

const simpleBudget: BudgetInput = {
  components: [
    { kind: 'type_b_expanded', name: 'reference', expandedUncertainty: 0.02, coverageFactor: 2, unit: 'mm' },
    { kind: 'type_b_resolution', name: 'resolution', resolution: 0.01, unit: 'mm' },
    { kind: 'type_a_readings', name: 'repeatability', readings: [10.01, 10.02, 10.0, 10.01, 10.02], unit: 'mm' },
  ],
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UncertaintyInputError) return e.field;
    throw e;
  }
  throw new Error('expected UncertaintyInputError');
}

describe('evaluateBudget', () => {
  it('returns the unrounded budget table with variance shares summing to 100 %', () => {
    const r = evaluateBudget(simpleBudget);
    expect(r.contributions).toHaveLength(3);
    const [ref, res, rep] = r.contributions;
    expect(ref).toMatchObject({
      name: 'reference',
      kind: 'type_b_expanded',
      standardUncertainty: 0.01,
      sensitivityCoefficient: 1,
      unit: 'mm',
    });
    expect(res?.standardUncertainty).toBeCloseTo(0.01 / Math.sqrt(12), 15);
    expect(rep?.degreesOfFreedom).toBe(4);
    expect(rep?.observations).toBe(5);
    const shares = r.contributions.reduce((s, c) => s + c.varianceSharePercent, 0);
    expect(shares).toBeCloseTo(100, 10);
    const uc = Math.sqrt(r.contributions.reduce((s, c) => s + c.uncertaintyContribution ** 2, 0));
    expect(r.combinedStandardUncertainty).toBeCloseTo(uc, 15);
    expect(r.expandedUncertainty).toBeCloseTo(r.coverageFactor * r.combinedStandardUncertainty, 15);
    expect(r.coverageProbability).toBe(0.9545);
    expect(r.roundedResult).toBeUndefined();
  });

  it('uses Student t with the truncated ν_eff for finite ν', () => {
    const r = evaluateBudget(simpleBudget);
    expect(Number.isFinite(r.effectiveDegreesOfFreedom)).toBe(true);
    expect(r.coverageFactorMethod).toBe('student_t');
    expect(r.degreesOfFreedomForCoverage).toBe(Math.floor(r.effectiveDegreesOfFreedom));
    expect(r.coverageFactor).toBeGreaterThan(2);
    const exact = evaluateBudget({ ...simpleBudget, dofMode: 'exact' });
    expect(exact.degreesOfFreedomForCoverage).toBe(r.effectiveDegreesOfFreedom);
    expect(exact.coverageFactor).toBeLessThanOrEqual(r.coverageFactor);
  });

  it('k = 2 for infinite ν_eff at 95.45 %, unless the convention is switched off', () => {
    const infinite: BudgetInput = {
      components: [
        { kind: 'type_b_expanded', name: 'a', expandedUncertainty: 0.2, coverageFactor: 2 },
        { kind: 'type_b_limits', name: 'b', halfWidth: 0.1, distribution: 'triangular' },
      ],
    };
    const r = evaluateBudget(infinite);
    expect(r.effectiveDegreesOfFreedom).toBe(Infinity);
    expect(r.coverageFactor).toBe(2);
    expect(r.coverageFactorMethod).toBe('conventional_k2');
    const raw = evaluateBudget({ ...infinite, conventionalK2: false });
    expect(raw.coverageFactorMethod).toBe('normal');
    expect(raw.coverageFactor.toFixed(5)).toBe('2.00000');
    expect(evaluateBudget({ ...infinite, coverageProbability: 0.95 }).coverageFactor.toFixed(2)).toBe('1.96');
  });

  it('accepts a fixed coverage factor imposed by a procedure', () => {
    const r = evaluateBudget({ ...simpleBudget, coverageFactor: 2 });
    expect(r).toMatchObject({ coverageFactor: 2, coverageFactorMethod: 'fixed', degreesOfFreedomForCoverage: null });
  });

  it('rounds U and the result for reporting, keeping everything else unrounded', () => {
    const r = evaluateBudget({
      components: [{ kind: 'type_b_standard', name: 'u', standardUncertainty: 0.0652 }],
      result: 100.0147,
    });
    expect(r.expandedUncertainty).toBeCloseTo(0.1304, 12);
    expect(r.roundedExpandedUncertainty).toMatchObject({
      text: '0.13',
      value: 0.13,
      decimalPlaces: 2,
      roundedUp: false,
    });
    expect(r.roundedResult).toEqual({ text: '100.01', value: 100.01, decimalPlaces: 2 });
    const one = evaluateBudget({
      components: [{ kind: 'type_b_standard', name: 'u', standardUncertainty: 0.0652 }],
      significantDigits: 1,
    });
    expect(one.roundedExpandedUncertainty).toMatchObject({ text: '0.2', roundedUp: true }); // 0.1 would be 23 % lower
  });

  it('variance shares with correlation are relative to u_c² and need not sum to 100 %', () => {
    const r = evaluateBudget({
      components: [
        { kind: 'type_b_standard', name: 'a', standardUncertainty: 3 },
        { kind: 'type_b_standard', name: 'b', standardUncertainty: 4 },
      ],
      correlations: [{ first: 'a', second: 'b', coefficient: 0.5 }],
    });
    expect(r.combinedStandardUncertainty).toBeCloseTo(Math.sqrt(37), 14);
    expect(r.contributions.map((c) => c.varianceSharePercent)).toEqual(
      [(9 / 37) * 100, (16 / 37) * 100].map((x) => expect.closeTo(x, 10)),
    );
  });

  it.each<[string, BudgetInput, string]>([
    ['empty budget', { components: [] }, 'components'],
    [
      'nested component error',
      {
        components: [
          { kind: 'type_b_standard', name: 'a', standardUncertainty: 1 },
          { kind: 'type_b_limits', name: 'b', halfWidth: -1, distribution: 'rectangular' },
        ],
      },
      'components[1].halfWidth',
    ],
    [
      'duplicate names',
      {
        components: [
          { kind: 'type_b_standard', name: 'a', standardUncertainty: 1 },
          { kind: 'type_b_standard', name: 'a', standardUncertainty: 2 },
        ],
      },
      'components[1].name',
    ],
    ['all-zero budget', { components: [{ kind: 'type_b_standard', name: 'a', standardUncertainty: 0 }] }, 'components'],
    ['p = 1', { ...simpleBudget, coverageProbability: 1 }, 'coverageProbability'],
    ['k = 0', { ...simpleBudget, coverageFactor: 0 }, 'coverageFactor'],
    ['NaN result', { ...simpleBudget, result: Number.NaN }, 'result'],
    [
      'bad correlation',
      { ...simpleBudget, correlations: [{ first: 'reference', second: 'resolution', coefficient: 2 }] },
      'correlations[0].coefficient',
    ],
    ['n < 2', { components: [{ kind: 'type_a_readings', name: 'r', readings: [1] }] }, 'components[0].readings'],
  ])('throws UncertaintyInputError for %s', (_label, input, field) => {
    expect(fieldOf(() => evaluateBudget(input))).toBe(field);
  });

  it('rejects a non-array components field from untyped input', () => {
    expect(fieldOf(() => evaluateBudget({ components: 'x' } as unknown as BudgetInput))).toBe('components');
  });
});
