import { evaluateRowUncertainty, RowUncertaintyError } from './row-uncertainty.js';

function refused(input: Parameters<typeof evaluateRowUncertainty>[0]): RowUncertaintyError {
  try {
    evaluateRowUncertainty(input);
  } catch (e) {
    if (e instanceof RowUncertaintyError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('a row’s uncertainty through libs/uncertainty', () => {
  it('evaluates a budget: u_c, ν_eff (Welch–Satterthwaite), k = t(ν_eff), U to two significant digits', () => {
    // u₁ = 2 (Type A, ν = 9), u₂ = 4/2 = 2 (Type B, ν = ∞): u_c = √8, ν_eff = 8² / (2⁴/9) = 36,
    // k = t₀.₉₇₇₂₅(36) = 2.0719, U = 5.860 → "5.9", k printed "2.07".
    const u = evaluateRowUncertainty({
      components: [
        { name: 'repeatability', kind: 'type_a', standardUncertainty: 2, degreesOfFreedom: 9 },
        { name: 'calibration', kind: 'type_b_expanded', expandedUncertainty: 4, coverageFactor: 2 },
      ],
    });
    expect(u.expandedUncertainty).toBe('5.9');
    expect(u.coverageFactor).toBe('2.07');
    expect(u.budget.combinedStandardUncertainty).toBeCloseTo(Math.sqrt(8), 12);
    expect(u.budget.effectiveDegreesOfFreedom).toBeCloseTo(36, 9);
    expect(u.budget.coverageFactor).toBeCloseTo(2.07187, 4);
    expect(u.budget.expandedUncertainty).toBeCloseTo(5.86014, 4);
    expect(u.budget.coverageProbability).toBe(0.9545);
  });

  it('gives k = 2 for Type B components only (infinite ν_eff), and ν_eff null', () => {
    const u = evaluateRowUncertainty({
      components: [{ name: 'resolution', kind: 'type_b_resolution', resolution: 0.1 }],
    });
    expect(u.budget.effectiveDegreesOfFreedom).toBeNull();
    expect(u.coverageFactor).toBe('2.00');
    // a = 0.05, u = 0.05/√3 = 0.028868, U = 0.057735 → "0.058"
    expect(u.expandedUncertainty).toBe('0.058');
  });

  it('keeps a U given with its k: rounded to two significant digits, k as given', () => {
    const u = evaluateRowUncertainty({ expandedUncertainty: '4.27', coverageFactor: '2' });
    expect(u).toMatchObject({ expandedUncertainty: '4.3', coverageFactor: '2' });
    expect(u.budget.coverageFactorMethod).toBe('fixed');
    expect(u.budget.combinedStandardUncertainty).toBeCloseTo(2.135, 12);
  });

  it('refuses what cannot be evaluated, naming the field under the row’s uncertainty', () => {
    expect(refused({ expandedUncertainty: '4' }).field).toBe('coverageFactor');
    expect(refused({}).field).toBe('');
    expect(
      refused({
        expandedUncertainty: '4',
        coverageFactor: '2',
        components: [{ name: 'a', kind: 'type_b_standard', standardUncertainty: 1 }],
      }).field,
    ).toBe('');
    expect(
      refused({ components: [{ name: 'a', kind: 'type_b_standard', standardUncertainty: 1 }], coverageFactor: '2' })
        .field,
    ).toBe('coverageFactor');
    expect(refused({ expandedUncertainty: '0', coverageFactor: '2' }).field).toBe('expandedUncertainty');
    expect(refused({ expandedUncertainty: '4', coverageFactor: '0' }).field).toBe('coverageFactor');
    // A half-width without its distribution: the library names the component's field.
    const e = refused({ components: [{ name: 'a', kind: 'type_b_limits', halfWidth: 1 } as never] });
    expect(e.field).toMatch(/^components\[0\]\.distribution$/);
  });
});
