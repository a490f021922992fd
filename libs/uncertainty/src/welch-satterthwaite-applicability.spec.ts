import fc from 'fast-check';
import { welchSatterthwaite } from './combine.js';
import { meanAndStandardDeviation } from './components.js';
import { WelchSatterthwaiteNotApplicableError } from './errors.js';
import { type BudgetInput, MAX_COVERAGE_FACTOR, evaluateBudget } from './evaluate.js';

/** The budget: two inputs with ν = 4 each, strongly correlated so that u_c (eq. 16) is small. */
const correlatedSmallNu: BudgetInput = {
  components: [
    { kind: 'type_a', name: 'bridge reading', standardUncertainty: 1, degreesOfFreedom: 4 },
    {
      kind: 'type_a',
      name: 'lead resistance',
      standardUncertainty: 1,
      degreesOfFreedom: 4,
      sensitivityCoefficient: -1,
    },
    { kind: 'type_b_expanded', name: 'reference resistor', expandedUncertainty: 0.2, coverageFactor: 2 },
  ],
  correlations: [{ first: 'bridge reading', second: 'lead resistance', coefficient: 0.95 }],
  result: 100.37,
};

function refusal(fn: () => unknown): WelchSatterthwaiteNotApplicableError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WelchSatterthwaiteNotApplicableError) return e;
    throw e;
  }
  throw new Error('expected WelchSatterthwaiteNotApplicableError');
}

describe('Welch–Satterthwaite refuses what it cannot do', () => {
  it('refuses correlated inputs with finite ν, naming the correlation', () => {
    const e = refusal(() => evaluateBudget(correlatedSmallNu));
    expect(e.code).toBe('uncertainty.welch_satterthwaite_not_applicable');
    expect(e.problem).toBe('correlated_finite_dof');
    expect(e.field).toBe('correlations[0]');
    expect(e.message).toContain('bridge reading (ν = 4)');
    expect(e.message).toContain('independent inputs only');
  });

  it('evaluates correlated inputs whose ν are all infinite (nothing for W–S to weigh)', () => {
    const r = evaluateBudget({
      components: correlatedSmallNu.components.map((c) => ({
        kind: 'type_b_standard' as const,
        name: c.name,
        standardUncertainty: 1,
        ...(c.sensitivityCoefficient === undefined ? {} : { sensitivityCoefficient: c.sensitivityCoefficient }),
      })),
      correlations: correlatedSmallNu.correlations!,
    });
    expect(r.effectiveDegreesOfFreedom).toBe(Infinity);
    expect(r.coverageFactor).toBe(2);
    expect(r.coverageFactorFallback).toBeUndefined();
  });

  it('a correlation of r = 0, or with a non-contributing input, does not count', () => {
    const r0 = evaluateBudget({
      ...correlatedSmallNu,
      correlations: [{ ...correlatedSmallNu.correlations![0]!, coefficient: 0 }],
    });
    expect(r0.coverageFactorMethod).toBe('student_t');
    const zeroC = evaluateBudget({
      ...correlatedSmallNu,
      components: correlatedSmallNu.components.map((c) =>
        c.name === 'lead resistance' ? { ...c, sensitivityCoefficient: 0 } : c,
      ),
    });
    expect(zeroC.coverageFactorMethod).toBe('student_t');
  });

  it('with the k = 2 fallback: k = 2, U = 2·u_c, the reason stated, the result not rounded away', () => {
    const r = evaluateBudget({ ...correlatedSmallNu, coverageFactorFallback: 'k2' });
    expect(r.coverageFactor).toBe(2);
    expect(r.coverageFactorMethod).toBe('fallback_k2');
    expect(r.degreesOfFreedomForCoverage).toBeNull();
    expect(r.expandedUncertainty).toBe(2 * r.combinedStandardUncertainty);
    expect(r.coverageFactorFallback).toMatchObject({ kind: 'k2', coverageFactor: 2, problem: 'correlated_finite_dof' });
    expect(r.coverageFactorFallback?.reason).toMatch(/correlated .*k = 2 imposed as requested$/);
    // u_c² = 1 + 1 − 2·0.95 + 0.01 = 0.11 → U = 2·0.3317 = 0.663 → "0.66"; the result keeps its digits.
    expect(r.roundedExpandedUncertainty.text).toBe('0.66');
    expect(r.roundedResult?.text).toBe('100.37');
  });

  it('the fallback is not used where Welch–Satterthwaite applies', () => {
    const ok = { ...correlatedSmallNu, correlations: [] };
    const r = evaluateBudget({ ...ok, coverageFactorFallback: 'k2' });
    expect(r.coverageFactorMethod).toBe('student_t');
    expect(r.coverageFactorFallback).toBeUndefined();
    expect(r.coverageFactor).toBe(evaluateBudget(ok).coverageFactor);
  });

  it('refuses ν_eff < 1 and a k above 10, each with its reason', () => {
    const below = refusal(() =>
      evaluateBudget({ components: [{ kind: 'type_a', name: 'a', standardUncertainty: 1, degreesOfFreedom: 0.5 }] }),
    );
    expect(below.problem).toBe('effective_dof_below_one');
    expect(below.field).toBe('components');
    expect(below.message).toContain('ν_eff = 0.5');

    // Two readings: ν = 1, t(0.97725, 1) = 13.97.
    const twoReadings: BudgetInput = {
      components: [{ kind: 'type_a_readings', name: 'rep', readings: [10.1, 10.3] }],
    };
    const big = refusal(() => evaluateBudget(twoReadings));
    expect(big.problem).toBe('coverage_factor_too_large');
    expect(big.message).toContain('k = 13.97');
    const fallback = evaluateBudget({ ...twoReadings, coverageFactorFallback: 'k2' });
    expect(fallback.coverageFactor).toBe(2);
    expect(fallback.coverageFactorFallback?.problem).toBe('coverage_factor_too_large');
  });

  it('a k imposed by the procedure is not second-guessed', () => {
    const r = evaluateBudget({ ...correlatedSmallNu, coverageFactor: 2 });
    expect(r.coverageFactorMethod).toBe('fixed');
    expect(r.coverageFactorFallback).toBeUndefined();
  });
});

describe('an infinite ν_eff is ∞, not rounding noise', () => {
  it('identical readings have s = 0 exactly, even where the mean is not representable', () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004: the naive two-pass s is 1.7e-17.
    expect(meanAndStandardDeviation([0.1, 0.1, 0.1])).toEqual({ mean: 0.1, standardDeviation: 0 });
  });

  it('identical readings beside a Type B term give ν_eff = ∞ and k = 2', () => {
    const r = evaluateBudget({
      components: [
        { kind: 'type_a_readings', name: 'rep', readings: [0.1, 0.1, 0.1] },
        { kind: 'type_b_resolution', name: 'res', resolution: 0.01 },
      ],
    });
    expect(r.contributions[0]?.standardUncertainty).toBe(0);
    expect(r.effectiveDegreesOfFreedom).toBe(Infinity);
    expect(r.coverageFactor).toBe(2);
    expect(r.coverageFactorMethod).toBe('conventional_k2');
  });

  it('a term below double-precision noise in u_c² does not set ν_eff', () => {
    const items = [
      { name: 'a', standardUncertainty: 1, sensitivityCoefficient: 1, degreesOfFreedom: Infinity },
      { name: 'noise', standardUncertainty: 1e-9, sensitivityCoefficient: 1, degreesOfFreedom: 2 },
    ];
    expect(welchSatterthwaite(items)).toBe(Infinity);
    // …while a small but real term still does: ν_eff = 2·(1 + 10⁻⁶)² / 10⁻¹² ≈ 2.000004·10¹².
    const small = welchSatterthwaite([items[0]!, { ...items[1]!, standardUncertainty: 1e-3 }]);
    expect(small / 2.000004e12).toBeCloseTo(1, 9);
  });
});

describe('property: never a silent k > 10', () => {
  const component = fc.record({
    u: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e3, noNaN: true })),
    nu: fc.oneof(fc.double({ min: 0.2, max: 50, noNaN: true }), fc.integer({ min: 1, max: 30 }), fc.constant(Infinity)),
  });
  const budget = fc
    .tuple(
      fc.array(component, { minLength: 2, maxLength: 6 }),
      fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }),
      fc.double({ min: 0.9, max: 0.999, noNaN: true }),
    )
    .map(([rows, r, p]): BudgetInput => ({
      coverageProbability: p,
      components: [
        ...rows.map((row, i) => ({
          kind: 'type_a' as const,
          name: `x${i}`,
          standardUncertainty: row.u,
          degreesOfFreedom: row.nu === Infinity ? 1e9 : row.nu,
        })),
        // Keeps u_c > 0 whatever the correlation does.
        { kind: 'type_b_standard' as const, name: 'floor', standardUncertainty: 1e-3 },
      ],
      ...(r === undefined ? {} : { correlations: [{ first: 'x0', second: 'x1', coefficient: r }] }),
    }));

  it('either k ≤ 10 from Student t, or a WelchSatterthwaiteNotApplicableError', () => {
    fc.assert(
      fc.property(budget, (input) => {
        try {
          const e = evaluateBudget(input);
          return e.coverageFactor <= MAX_COVERAGE_FACTOR && e.effectiveDegreesOfFreedom >= 1;
        } catch (err) {
          if (err instanceof WelchSatterthwaiteNotApplicableError) return true;
          // Random coefficients may form an invalid correlation; that is a different refusal.
          if (err instanceof Error && err.message.startsWith('correlations:')) return true;
          throw err;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('with the fallback: never refuses for W–S, and k is 2 exactly when the fallback is stated', () => {
    fc.assert(
      fc.property(budget, (input) => {
        try {
          const e = evaluateBudget({ ...input, coverageFactorFallback: 'k2' });
          if (e.coverageFactorFallback !== undefined) {
            return (
              e.coverageFactor === 2 &&
              e.coverageFactorMethod === 'fallback_k2' &&
              e.coverageFactorFallback.reason.length > 0
            );
          }
          return e.coverageFactor <= MAX_COVERAGE_FACTOR && e.coverageFactorMethod !== 'fallback_k2';
        } catch (err) {
          if (err instanceof WelchSatterthwaiteNotApplicableError) return false;
          if (err instanceof Error && err.message.startsWith('correlations:')) return true;
          throw err;
        }
      }),
      { numRuns: 500 },
    );
  });
});
