import { UncertaintyInputError } from './errors.js';
import {
  NORMAL_APPROXIMATION_DOF,
  coverageFactor,
  coverageFactorDetails,
  degreesOfFreedomForCoverage,
  studentTQuantile,
} from './student-t.js';

/** Independent of the code under test; rounds the binary value, fine away from exact ties. */
const fixed = (x: number, n: number): string => x.toFixed(n);

describe('studentTQuantile / coverageFactor', () => {
  it('t_0.975(∞) = 1.96 (normal quantile; GUM Table G.1 / G.2 ν = ∞ row)', () => {
    expect(fixed(studentTQuantile(0.975, Infinity), 2)).toBe('1.96');
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
  });

  it('k(p = 0.9545, ν = ∞) is 2.00 to two decimals, and exactly 2 under the GUM convention', () => {
    const raw = coverageFactorDetails(0.9545, Infinity, { conventionalK2: false });
    expect(raw.method).toBe('normal');
    expect(fixed(raw.coverageFactor, 2)).toBe('2.00');
    expect(raw.coverageFactor).not.toBe(2); // 2.0000024…: 0.9545 is itself a rounded 2σ probability
    expect(coverageFactorDetails(0.9545, Infinity)).toEqual({
      coverageFactor: 2,
      degreesOfFreedom: Infinity,
      method: 'conventional_k2',
    });
    // The exact 2σ probability erf(√2) is recognised as the same convention.
    expect(coverageFactor(0.9544997361036416, Infinity)).toBe(2);
    // The convention applies to the normal case only, never to finite ν.
    expect(coverageFactor(0.9545, 50)).toBeGreaterThan(2);
  });

  // EA-4/02 Annex E, Table E.1: coverage factors k for p = 95.45 % and ν_eff degrees of freedom.
  // (The same values appear in the 95.45 % column of JCGM 100:2008 Table G.2.)
  it.each([
    [1, '13.97'],
    [2, '4.53'],
    [3, '3.31'],
    [4, '2.87'],
    [5, '2.65'],
    [6, '2.52'],
    [7, '2.43'],
    [8, '2.37'],
    [10, '2.28'],
    [20, '2.13'],
    [50, '2.05'],
  ])('EA-4/02 Table E.1: ν = %i → k = %s', (nu, published) => {
    expect(fixed(coverageFactor(0.9545, nu), 2)).toBe(published);
  });

  // JCGM 100:2008 Table G.2, columns p = 90 %, 95 %, 99 % (exact probabilities, unlike 68.27 / 99.73).
  it.each([
    [1, 0.9, '6.31'],
    [1, 0.95, '12.71'],
    [1, 0.99, '63.66'],
    [2, 0.95, '4.30'],
    [3, 0.99, '5.84'],
    [10, 0.95, '2.23'],
    [20, 0.9, '1.72'],
    [50, 0.99, '2.68'],
    [Infinity, 0.9, '1.645'],
    [Infinity, 0.99, '2.576'],
  ])('GUM Table G.2: ν = %s, p = %s → t = %s', (nu, p, published) => {
    const decimals = published.split('.')[1]?.length ?? 0;
    expect(fixed(coverageFactor(p, nu), decimals)).toBe(published);
  });

  it('GUM Table G.2 ν = ∞ row for 1σ and 3σ probabilities → 1.000 and 3.000', () => {
    expect(fixed(coverageFactor(0.6826894921370859, Infinity), 3)).toBe('1.000');
    expect(fixed(coverageFactor(0.9973002039367398, Infinity), 3)).toBe('3.000');
  });

  it('GUM H.1.6: t_95(16) = 2.12 and t_99(16) = 2.92', () => {
    expect(fixed(coverageFactor(0.95, 16), 2)).toBe('2.12');
    expect(fixed(coverageFactor(0.99, 16), 2)).toBe('2.92');
  });

  it('switches to the normal quantile just above NORMAL_APPROXIMATION_DOF without increasing k', () => {
    const below = coverageFactor(0.95, NORMAL_APPROXIMATION_DOF);
    const above = coverageFactor(0.95, NORMAL_APPROXIMATION_DOF * 1.000001, { dofMode: 'exact' });
    expect(above).toBeLessThanOrEqual(below);
    expect(below - above).toBeLessThan(1e-5);
    expect(coverageFactorDetails(0.95, 2e6).method).toBe('normal');
    expect(coverageFactorDetails(0.95, 1e6).method).toBe('student_t');
  });
});

describe('degreesOfFreedomForCoverage', () => {
  it('truncates to the next lower integer by default (GUM G.4.1 note 1)', () => {
    expect(degreesOfFreedomForCoverage(16.7)).toBe(16);
    expect(degreesOfFreedomForCoverage(16.7, 'exact')).toBe(16.7);
    expect(degreesOfFreedomForCoverage(Infinity)).toBe(Infinity);
  });

  it('treats Welch–Satterthwaite noise just below an integer as that integer', () => {
    expect(degreesOfFreedomForCoverage(16.999999999999996)).toBe(17);
    expect(degreesOfFreedomForCoverage(16.9999)).toBe(16);
  });

  it('keeps ν < 1 rather than truncating it to an impossible 0', () => {
    expect(degreesOfFreedomForCoverage(0.5)).toBe(0.5);
    expect(Number.isFinite(coverageFactor(0.95, 0.5))).toBe(true);
  });

  it('truncation gives the larger (conservative) k', () => {
    expect(coverageFactor(0.95, 16.7)).toBe(coverageFactor(0.95, 16));
    expect(coverageFactor(0.95, 16.7, { dofMode: 'exact' })).toBeLessThan(coverageFactor(0.95, 16));
  });
});

describe('input validation', () => {
  it.each([0, 1, -0.1, 1.5, Number.NaN])('rejects coverage probability %p', (p) => {
    expect(() => coverageFactor(p, 10)).toThrow(UncertaintyInputError);
  });

  it.each([0, -1, Number.NaN])('rejects degrees of freedom %p', (nu) => {
    expect(() => coverageFactor(0.95, nu)).toThrow(UncertaintyInputError);
  });

  it('reports the offending field', () => {
    try {
      coverageFactor(1.2, 10);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UncertaintyInputError);
      expect((e as UncertaintyInputError).field).toBe('coverageProbability');
    }
  });

  it('rejects an unknown dofMode coming from untyped input', () => {
    expect(() => degreesOfFreedomForCoverage(Infinity, 'round' as 'exact')).toThrow(UncertaintyInputError);
  });
});
