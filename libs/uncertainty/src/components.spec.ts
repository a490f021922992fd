import { type UncertaintyComponentInput, meanAndStandardDeviation, resolveComponent } from './components.js';
import { UncertaintyInputError } from './errors.js';

function expectInputError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UncertaintyInputError);
    expect((e as UncertaintyInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected UncertaintyInputError on ${field}`);
}

describe('Type A from repeated readings (GUM 4.2)', () => {
  it('gives mean, s(q_k), u = s/√n and ν = n − 1', () => {
    const r = resolveComponent({ kind: 'type_a_readings', name: 'repeatability', readings: [10.1, 10.3, 10.2, 10.4] });
    const s = Math.sqrt(0.05 / 3); // Σ(x − x̄)² = 0.05 with x̄ = 10.25
    expect(r.estimate).toBeCloseTo(10.25, 12);
    expect(r.experimentalStandardDeviation).toBeCloseTo(s, 12);
    expect(r.standardUncertainty).toBeCloseTo(s / 2, 12);
    expect(r.degreesOfFreedom).toBe(3);
    expect(r.observations).toBe(4);
    expect(r.sensitivityCoefficient).toBe(1);
  });

  it('requires n ≥ 2 for its own standard deviation', () => {
    expectInputError(
      () => resolveComponent({ kind: 'type_a_readings', name: 'x', readings: [1] }, 'components[2]'),
      'components[2].readings',
    );
  });

  it('accepts a single reading with a pooled standard deviation (GUM 4.2.4)', () => {
    const r = resolveComponent({
      kind: 'type_a_readings',
      name: 'comparator',
      readings: [0.01, 0.03, 0.02],
      pooledStandardDeviation: { standardDeviation: 0.025, degreesOfFreedom: 30 },
    });
    expect(r.standardUncertainty).toBeCloseTo(0.025 / Math.sqrt(3), 15);
    expect(r.degreesOfFreedom).toBe(30);
    const single = resolveComponent({
      kind: 'type_a_readings',
      name: 'single',
      readings: [5],
      pooledStandardDeviation: { standardDeviation: 0.2, degreesOfFreedom: 9 },
    });
    expect(single.standardUncertainty).toBe(0.2);
  });

  it('keeps precision for readings sharing many leading digits', () => {
    const { mean, standardDeviation } = meanAndStandardDeviation([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    expect(mean).toBe(1e9 + 2);
    expect(standardDeviation).toBe(1);
  });

  it('rejects a non-finite reading with its index', () => {
    expectInputError(
      () => resolveComponent({ kind: 'type_a_readings', name: 'x', readings: [1, Number.NaN] }, 'components[0]'),
      'components[0].readings[1]',
    );
  });
});

describe('Type A given directly and Type B conversions', () => {
  const u = (c: UncertaintyComponentInput): number => resolveComponent(c).standardUncertainty;

  it('Type A direct keeps u and ν', () => {
    const r = resolveComponent({ kind: 'type_a', name: 'a', standardUncertainty: 5.8, degreesOfFreedom: 24 });
    expect(r).toMatchObject({ standardUncertainty: 5.8, degreesOfFreedom: 24 });
  });

  it('expanded uncertainty: u = U/k, ν = ∞ unless given (GUM 4.3.3)', () => {
    expect(
      resolveComponent({ kind: 'type_b_expanded', name: 'cert', expandedUncertainty: 45, coverageFactor: 2 }),
    ).toMatchObject({
      standardUncertainty: 22.5,
      degreesOfFreedom: Infinity,
    });
    expect(
      resolveComponent({
        kind: 'type_b_expanded',
        name: 'cert',
        expandedUncertainty: 75,
        coverageFactor: 3,
        degreesOfFreedom: 18,
      }).degreesOfFreedom,
    ).toBe(18);
  });

  it('half-width a: rectangular a/√3, triangular a/√6, U-shaped a/√2, normal a/k', () => {
    expect(u({ kind: 'type_b_limits', name: 'r', halfWidth: 3, distribution: 'rectangular' })).toBeCloseTo(
      3 / Math.sqrt(3),
      15,
    );
    expect(u({ kind: 'type_b_limits', name: 't', halfWidth: 6, distribution: 'triangular' })).toBeCloseTo(
      6 / Math.sqrt(6),
      15,
    );
    expect(u({ kind: 'type_b_limits', name: 'u', halfWidth: 2, distribution: 'u_shaped' })).toBeCloseTo(Math.SQRT2, 15);
    expect(
      u({ kind: 'type_b_limits', name: 'n', halfWidth: 0.3, distribution: 'normal', coverageFactor: 3 }),
    ).toBeCloseTo(0.1, 15);
  });

  it('resolution d → rectangular with a = d/2, u ≈ 0.29 d (GUM F.2.2.1)', () => {
    expect(u({ kind: 'type_b_resolution', name: 'display', resolution: 0.1 })).toBeCloseTo(0.1 / Math.sqrt(12), 15);
    expect(u({ kind: 'type_b_resolution', name: 'display', resolution: 1 }).toFixed(2)).toBe('0.29');
  });

  it('Type B standard uncertainty given directly', () => {
    expect(
      resolveComponent({ kind: 'type_b_standard', name: 's', standardUncertainty: 0.4, degreesOfFreedom: 12 }),
    ).toMatchObject({
      standardUncertainty: 0.4,
      degreesOfFreedom: 12,
    });
  });

  it('carries sensitivity coefficient, unit, description and estimate', () => {
    const r = resolveComponent({
      kind: 'type_b_limits',
      name: 'δθ',
      halfWidth: 0.05,
      distribution: 'rectangular',
      sensitivityCoefficient: -575,
      unit: '°C',
      description: 'temperature difference between gauges',
      estimate: 0,
    });
    expect(r).toMatchObject({
      sensitivityCoefficient: -575,
      unit: '°C',
      description: 'temperature difference between gauges',
      estimate: 0,
    });
  });
});

describe('validation with field paths', () => {
  const p = 'components[2]';
  it.each<[string, UncertaintyComponentInput, string]>([
    [
      'negative half-width',
      { kind: 'type_b_limits', name: 'x', halfWidth: -1, distribution: 'rectangular' },
      `${p}.halfWidth`,
    ],
    [
      'negative u',
      { kind: 'type_a', name: 'x', standardUncertainty: -1, degreesOfFreedom: 3 },
      `${p}.standardUncertainty`,
    ],
    ['k = 0', { kind: 'type_b_expanded', name: 'x', expandedUncertainty: 1, coverageFactor: 0 }, `${p}.coverageFactor`],
    [
      'k < 0 (normal limits)',
      { kind: 'type_b_limits', name: 'x', halfWidth: 1, distribution: 'normal', coverageFactor: -2 },
      `${p}.coverageFactor`,
    ],
    ['ν = 0', { kind: 'type_a', name: 'x', standardUncertainty: 1, degreesOfFreedom: 0 }, `${p}.degreesOfFreedom`],
    ['negative resolution', { kind: 'type_b_resolution', name: 'x', resolution: -0.1 }, `${p}.resolution`],
    [
      'NaN sensitivity',
      { kind: 'type_b_standard', name: 'x', standardUncertainty: 1, sensitivityCoefficient: Number.NaN },
      `${p}.sensitivityCoefficient`,
    ],
    ['empty name', { kind: 'type_b_standard', name: ' ', standardUncertainty: 1 }, `${p}.name`],
    ['unknown kind', { kind: 'type_c', name: 'x' } as unknown as UncertaintyComponentInput, `${p}.kind`],
    [
      'unknown distribution',
      {
        kind: 'type_b_limits',
        name: 'x',
        halfWidth: 1,
        distribution: 'gaussian',
      } as unknown as UncertaintyComponentInput,
      `${p}.distribution`,
    ],
  ])('%s', (_label, input, field) => {
    expectInputError(() => resolveComponent(input, p), field);
  });
});
