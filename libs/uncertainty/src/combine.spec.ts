import {
  combinedStandardUncertainty,
  correlationFromReadings,
  welchSatterthwaite,
  type WeightedUncertainty,
} from './combine.js';
import { UncertaintyInputError } from './errors.js';

const w = (name: string, u: number, c = 1, nu = Infinity): WeightedUncertainty => ({
  name,
  standardUncertainty: u,
  sensitivityCoefficient: c,
  degreesOfFreedom: nu,
});

describe('combinedStandardUncertainty', () => {
  it('root-sum-square of cᵢuᵢ for uncorrelated inputs (GUM eq. 10)', () => {
    expect(combinedStandardUncertainty([w('a', 3), w('b', 2, -2)])).toBe(5);
  });

  it('adds 2cᵢcⱼuᵢuⱼr for correlated pairs (GUM eq. 16)', () => {
    const items = [w('a', 3), w('b', 4)];
    expect(combinedStandardUncertainty(items, [{ first: 'a', second: 'b', coefficient: 0.5 }])).toBeCloseTo(
      Math.sqrt(9 + 16 + 12),
      14,
    );
    // r = +1: contributions add linearly (GUM 5.2.2 note 1)
    expect(combinedStandardUncertainty(items, [{ first: 'b', second: 'a', coefficient: 1 }])).toBeCloseTo(7, 14);
    // r = −1 with equal contributions cancels exactly; rounding noise is clamped, not thrown
    expect(
      combinedStandardUncertainty([w('a', 0.1), w('b', 0.1)], [{ first: 'a', second: 'b', coefficient: -1 }]),
    ).toBe(0);
  });

  it('the sign of the sensitivity coefficient matters for correlated terms', () => {
    const r = [{ first: 'a', second: 'b', coefficient: 1 }];
    expect(combinedStandardUncertainty([w('a', 3), w('b', 4, -1)], r)).toBeCloseTo(1, 14);
  });

  it.each([
    [[{ first: 'a', second: 'b', coefficient: 1.01 }], 'correlations[0].coefficient'],
    [[{ first: 'a', second: 'b', coefficient: Number.NaN }], 'correlations[0].coefficient'],
    [[{ first: 'a', second: 'z', coefficient: 0.1 }], 'correlations[0].second'],
    [[{ first: 'a', second: 'a', coefficient: 0.1 }], 'correlations[0].second'],
    [
      [
        { first: 'a', second: 'b', coefficient: 0.1 },
        { first: 'b', second: 'a', coefficient: 0.2 },
      ],
      'correlations[1]',
    ],
  ])('rejects invalid correlations %#', (correlations, field) => {
    try {
      combinedStandardUncertainty([w('a', 1), w('b', 1), w('c', 1)], correlations);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UncertaintyInputError);
      expect((e as UncertaintyInputError).field).toBe(field);
    }
  });

  it('rejects mutually inconsistent coefficients (negative combined variance)', () => {
    const all = [
      { first: 'a', second: 'b', coefficient: -1 },
      { first: 'a', second: 'c', coefficient: -1 },
      { first: 'b', second: 'c', coefficient: -1 },
    ];
    expect(() => combinedStandardUncertainty([w('a', 1), w('b', 1), w('c', 1)], all)).toThrow(UncertaintyInputError);
  });

  it('rejects duplicate names when correlations refer to names', () => {
    expect(() =>
      combinedStandardUncertainty([w('a', 1), w('a', 1)], [{ first: 'a', second: 'a', coefficient: 0 }]),
    ).toThrow(UncertaintyInputError);
  });

  it('rejects an empty budget', () => {
    expect(() => combinedStandardUncertainty([])).toThrow(UncertaintyInputError);
  });
});

describe('welchSatterthwaite (GUM G.4.1)', () => {
  it('one contributing component: ν_eff = its ν', () => {
    expect(welchSatterthwaite([w('a', 2, 1, 7)])).toBeCloseTo(7, 12);
  });

  it('Infinity when every ν is infinite', () => {
    expect(welchSatterthwaite([w('a', 1), w('b', 2)])).toBe(Infinity);
  });

  it('ignores components with zero contribution (u = 0 or c = 0)', () => {
    expect(welchSatterthwaite([w('a', 2, 1, 7), w('zero-u', 0, 1, 1), w('zero-c', 5, 0, 1)])).toBeCloseTo(7, 12);
  });

  it('Infinity when nothing contributes', () => {
    expect(welchSatterthwaite([w('a', 0, 1, 3)])).toBe(Infinity);
  });

  it('two equal contributions with ν = 5 each give 10', () => {
    expect(welchSatterthwaite([w('a', 1, 1, 5), w('b', 1, -1, 5)])).toBeCloseTo(10, 12);
  });

  it('GUM H.1.3.2: u(d) from 5.8 nm (ν 24), 3.9 nm (ν 5), 6.7 nm (ν 8) → ν_eff(d) = 25.6', () => {
    // Published inputs: s(d̄) = 13 nm/√5 (pooled, ν = 24); u(d₁) = 3.9 nm (ν = 5);
    // u(d₂) = 0.02 µm / 3 (ν = 8). Published: u(d) = 9.7 nm, ν_eff(d) = 25.6.
    const items = [w('d̄', 13 / Math.sqrt(5), 1, 24), w('d1', 3.9, 1, 5), w('d2', 20 / 3, 1, 8)];
    expect(combinedStandardUncertainty(items).toFixed(1)).toBe('9.7');
    expect(welchSatterthwaite(items).toFixed(1)).toBe('25.6');
  });
});

describe('correlationFromReadings (GUM eq. 17)', () => {
  it('±1 for exactly linear pairs', () => {
    expect(correlationFromReadings([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 15);
    expect(correlationFromReadings([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 15);
  });

  it('rejects unequal lengths and readings without scatter', () => {
    expect(() => correlationFromReadings([1, 2], [1, 2, 3])).toThrow(UncertaintyInputError);
    expect(() => correlationFromReadings([1, 1, 1], [1, 2, 3])).toThrow(UncertaintyInputError);
  });
});
