import fc from 'fast-check';
import { combinedStandardUncertainty, welchSatterthwaite, type WeightedUncertainty } from './combine.js';
import { type DecisionOutcome, type ToleranceLimits, decideConformity } from './decision.js';
import { evaluateBudget } from './evaluate.js';
import { roundExpandedUncertainty, roundResultToUncertainty } from './reporting.js';
import { coverageFactor } from './student-t.js';

// Magnitudes kept away from under/overflow of squares and fourth powers; zero is generated explicitly.
const magnitude = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e6, noNaN: true }));
const sensitivity = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
  fc.double({ min: -1e3, max: -1e-3, noNaN: true }),
);
const finiteDof = fc.double({ min: 0.5, max: 1e4, noNaN: true });

const weighted = (dof: fc.Arbitrary<number>): fc.Arbitrary<WeightedUncertainty[]> =>
  fc
    .array(fc.record({ standardUncertainty: magnitude, sensitivityCoefficient: sensitivity, degreesOfFreedom: dof }), {
      minLength: 1,
      maxLength: 12,
    })
    .map((items) => items.map((item, i) => ({ ...item, name: `x${i}` })));

describe('property: combined standard uncertainty (uncorrelated)', () => {
  it('u_c ≥ |cᵢuᵢ| for every component', () => {
    fc.assert(
      fc.property(weighted(finiteDof), (items) => {
        const uc = combinedStandardUncertainty(items);
        return items.every((it) => uc >= Math.abs(it.sensitivityCoefficient * it.standardUncertainty));
      }),
    );
  });
});

describe('property: Welch–Satterthwaite', () => {
  it('min νᵢ ≤ ν_eff ≤ Σνᵢ over contributing components with finite νᵢ', () => {
    fc.assert(
      fc.property(weighted(finiteDof), (items) => {
        const contributing = items.filter((it) => it.sensitivityCoefficient * it.standardUncertainty !== 0);
        fc.pre(contributing.length > 0);
        const nu = welchSatterthwaite(items);
        const min = Math.min(...contributing.map((it) => it.degreesOfFreedom));
        const sum = contributing.reduce((s, it) => s + it.degreesOfFreedom, 0);
        // 1e-9 relative slack for the equality cases (single component, equal shares) in floating point.
        return nu >= min * (1 - 1e-9) && nu <= sum * (1 + 1e-9);
      }),
    );
  });
});

describe('property: coverage factor', () => {
  const p = fc.double({ min: 0.5, max: 0.9999, noNaN: true });
  const nu = fc.oneof(
    fc.double({ min: 0.1, max: 1e8, noNaN: true }),
    fc.integer({ min: 1, max: 200 }),
    fc.constant(Infinity),
  );

  it.each(['exact', 'truncate'] as const)('k is non-increasing in ν (dofMode %s)', (dofMode) => {
    fc.assert(
      fc.property(p, nu, nu, fc.boolean(), (prob, a, b, conventionalK2) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        // Mathematically non-increasing; numerically the stdlib quantile wobbles by a few ulps
        // (≤ 5e-15 relative seen) between ν values 1e-15 apart, hence the 1e-12 slack.
        return (
          coverageFactor(prob, hi, { dofMode, conventionalK2 }) <=
          coverageFactor(prob, lo, { dofMode, conventionalK2 }) * (1 + 1e-12)
        );
      }),
    );
  });

  it('U ≥ u_c whenever p ≥ 0.6827', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.6827, max: 0.9999, noNaN: true }),
        fc.array(
          fc.record({
            u: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
            nu: fc.oneof(finiteDof, fc.constant(Infinity)),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (prob, rows) => {
          const r = evaluateBudget({
            coverageProbability: prob,
            // ν down to 0.5 may leave Welch–Satterthwaite inapplicable; the stated k = 2 still bounds U below.
            coverageFactorFallback: 'k2',
            components: rows.map((row, i) => ({
              kind: 'type_a',
              name: `x${i}`,
              standardUncertainty: row.u,
              degreesOfFreedom: row.nu,
            })),
          });
          return r.expandedUncertainty >= r.combinedStandardUncertainty;
        },
      ),
    );
  });
});

describe('property: reporting', () => {
  const U = fc.double({ min: 1e-12, max: 1e12, noNaN: true });

  it('two significant digits: never more than 5 % lower, never needs the round-up branch', () => {
    fc.assert(
      fc.property(U, (u) => {
        const r = roundExpandedUncertainty(u);
        const digits = r.text.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        return (
          !r.roundedUp &&
          r.value >= 0.95 * u &&
          Math.abs(r.value - u) <= 0.05 * u &&
          digits.length <= 2 &&
          Number(r.text) === r.value
        );
      }),
    );
  });

  it('one significant digit: never more than 5 % lower', () => {
    fc.assert(
      fc.property(U, (u) => {
        const r = roundExpandedUncertainty(u, { significantDigits: 1 });
        return r.value >= 0.95 * u * (1 - 1e-12);
      }),
    );
  });

  it('the rounded result is within half a unit of the last kept place', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -3, max: 9 }), (x, places) => {
        const r = roundResultToUncertainty(x, { decimalPlaces: places });
        const unit = 10 ** -places;
        return (
          Math.abs(r.value - x) <= unit / 2 + Math.abs(x) * 1e-15 &&
          (places <= 0 ? !r.text.includes('.') : r.text.split('.')[1]?.length === places)
        );
      }),
    );
  });
});

describe('property: decision rules', () => {
  const limits: fc.Arbitrary<ToleranceLimits> = fc.oneof(
    fc.record({
      kind: fc.constant('symmetric' as const),
      maximumPermissibleError: fc.double({ min: 0, max: 100, noNaN: true }),
    }),
    fc
      .tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }))
      .map(([lower, width]) => ({ kind: 'asymmetric' as const, lower, upper: lower + width })),
  );
  const x = fc.double({ min: -250, max: 250, noNaN: true });
  const u = fc.double({ min: 0, max: 50, noNaN: true });
  const r = fc.double({ min: 0, max: 3, noNaN: true });

  it('guarded acceptance is never more permissive than simple acceptance', () => {
    fc.assert(
      fc.property(x, limits, u, r, (measuredValue, lim, U, factor) => {
        const guarded = decideConformity({
          measuredValue,
          limits: lim,
          expandedUncertainty: U,
          rule: { kind: 'guarded', guardBandFactor: factor },
        });
        const simple = decideConformity({ measuredValue, limits: lim, rule: { kind: 'simple' } });
        const guardedPassImpliesSimplePass = guarded.outcome !== 'pass' || simple.outcome === 'pass';
        const simpleFailImpliesGuardedNotPass =
          simple.outcome !== 'fail' || guarded.outcome === 'fail' || guarded.outcome === 'conditional_fail';
        // A guarded "pass"/"conditional_pass" means inside the tolerance, exactly what simple acceptance passes.
        const insideAgrees =
          (['pass', 'conditional_pass'] as DecisionOutcome[]).includes(guarded.outcome) === (simple.outcome === 'pass');
        return guardedPassImpliesSimplePass && simpleFailImpliesGuardedNotPass && insideAgrees;
      }),
    );
  });

  it('a wider guard band never turns a non-pass into a pass', () => {
    fc.assert(
      fc.property(x, limits, u, r, r, (measuredValue, lim, U, a, b) => {
        const [narrow, wide] = a <= b ? [a, b] : [b, a];
        const decide = (factor: number): DecisionOutcome =>
          decideConformity({
            measuredValue,
            limits: lim,
            expandedUncertainty: U,
            rule: { kind: 'guarded', guardBandFactor: factor },
          }).outcome;
        return decide(wide) !== 'pass' || decide(narrow) === 'pass';
      }),
    );
  });
});
