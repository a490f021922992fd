import {
  type DecisionOutcome,
  type DecisionRule,
  type ToleranceLimits,
  decideConformity,
  overallOutcome,
} from './decision.js';
import { UncertaintyInputError } from './errors.js';

const guarded = (r?: number): DecisionRule =>
  r === undefined ? { kind: 'guarded' } : { kind: 'guarded', guardBandFactor: r };
const simple: DecisionRule = { kind: 'simple' };
const mpe = (m: number, nominal?: number): ToleranceLimits =>
  nominal === undefined
    ? { kind: 'symmetric', maximumPermissibleError: m }
    : { kind: 'symmetric', maximumPermissibleError: m, nominal };

const outcome = (
  measuredValue: number,
  limits: ToleranceLimits,
  rule: DecisionRule,
  expandedUncertainty?: number,
): DecisionOutcome =>
  decideConformity({
    measuredValue,
    limits,
    rule,
    ...(expandedUncertainty === undefined ? {} : { expandedUncertainty }),
  }).outcome;

describe('simple acceptance (ILAC-G8:09/2019 §4.2.1, w = 0)', () => {
  it.each<[number, DecisionOutcome]>([
    [0, 'pass'],
    [0.3, 'pass'], // on the limit counts as within
    [-0.3, 'pass'],
    [0.3000001, 'fail'],
    [-0.35, 'fail'],
  ])('error %p against ±0.3 → %s', (x, expected) => {
    expect(outcome(x, mpe(0.3), simple, 0.1)).toBe(expected);
  });

  it('does not need U and ignores it', () => {
    expect(outcome(0.29, mpe(0.3), simple)).toBe('pass');
    expect(outcome(0.29, mpe(0.3), simple, 10)).toBe('pass');
  });

  it('works about a nominal value', () => {
    expect(outcome(100.5, mpe(0.5, 100), simple)).toBe('pass');
    expect(outcome(100.6, mpe(0.5, 100), simple)).toBe('fail');
  });
});

describe('guarded acceptance, w = r·U (ILAC-G8:09/2019 §4.2.2–4.2.3)', () => {
  // ±0.3 with U = 0.1, r = 1: pass [−0.2, 0.2], tolerance [−0.3, 0.3], fail beyond ±0.4.
  it.each<[number, DecisionOutcome]>([
    [0, 'pass'],
    [0.2, 'pass'], // on the acceptance limit: the interval x ± U just touches the tolerance limit
    [-0.2, 'pass'],
    [0.2000001, 'conditional_pass'],
    [0.25, 'conditional_pass'],
    [0.3, 'conditional_pass'], // on the tolerance limit counts as within tolerance
    [-0.3, 'conditional_pass'],
    [0.35, 'conditional_fail'],
    [0.4, 'conditional_fail'], // on the rejection threshold is not yet a fail
    [-0.4, 'conditional_fail'],
    [0.4000001, 'fail'],
    [-0.41, 'fail'],
  ])('error %p against ±0.3 with U = 0.1 → %s', (x, expected) => {
    expect(outcome(x, mpe(0.3), guarded(), 0.1)).toBe(expected);
  });

  // r = 0.5, ±1 with U = 0.4 → w = 0.2: pass [−0.8, 0.8], fail beyond ±1.2.
  it.each<[number, DecisionOutcome]>([
    [0.8, 'pass'],
    [0.9, 'conditional_pass'],
    [1.0, 'conditional_pass'],
    [1.1, 'conditional_fail'],
    [1.2, 'conditional_fail'],
    [1.21, 'fail'],
    [-0.81, 'conditional_pass'],
  ])('r = 0.5: error %p against ±1 with U = 0.4 → %s', (x, expected) => {
    expect(outcome(x, mpe(1), guarded(0.5), 0.4)).toBe(expected);
  });

  // Asymmetric: 9.95 … 10.10 with U = 0.02: pass [9.97, 10.08], fail below 9.93 or above 10.12.
  it.each<[number, DecisionOutcome]>([
    [10.0, 'pass'],
    [9.97, 'pass'],
    [10.08, 'pass'],
    [9.96, 'conditional_pass'],
    [9.95, 'conditional_pass'],
    [10.09, 'conditional_pass'],
    [10.1, 'conditional_pass'],
    [9.94, 'conditional_fail'],
    [9.93, 'conditional_fail'],
    [10.11, 'conditional_fail'],
    [10.12, 'conditional_fail'],
    [9.92, 'fail'],
    [10.13, 'fail'],
  ])('asymmetric limits 9.95 … 10.10, U = 0.02: %p → %s', (x, expected) => {
    expect(outcome(x, { kind: 'asymmetric', lower: 9.95, upper: 10.1 }, guarded(), 0.02)).toBe(expected);
  });

  it('one-sided specification with an infinite upper limit', () => {
    const atLeastZero: ToleranceLimits = { kind: 'asymmetric', lower: 0, upper: Infinity };
    expect(outcome(1e6, atLeastZero, guarded(), 0.1)).toBe('pass');
    expect(outcome(0.1, atLeastZero, guarded(), 0.1)).toBe('pass');
    expect(outcome(0.05, atLeastZero, guarded(), 0.1)).toBe('conditional_pass');
    expect(outcome(-0.05, atLeastZero, guarded(), 0.1)).toBe('conditional_fail');
    expect(outcome(-0.2, atLeastZero, guarded(), 0.1)).toBe('fail');
  });

  it('a guard band wider than half the tolerance leaves no pass zone', () => {
    const d = decideConformity({ measuredValue: 0, limits: mpe(0.1), rule: guarded(), expandedUncertainty: 0.2 });
    expect(d.outcome).toBe('conditional_pass');
    expect(d.acceptanceInterval.lower).toBeGreaterThan(d.acceptanceInterval.upper);
  });

  it('r = 0 reduces to simple acceptance', () => {
    expect(outcome(0.3, mpe(0.3), guarded(0), 0.1)).toBe('pass');
    expect(outcome(0.31, mpe(0.3), guarded(0), 0.1)).toBe('fail');
  });

  it('reports the zones it used', () => {
    const d = decideConformity({ measuredValue: 0.25, limits: mpe(0.3), rule: guarded(), expandedUncertainty: 0.1 });
    expect(d.guardBand).toBe(0.1);
    expect(d.toleranceInterval).toEqual({ lower: -0.3, upper: 0.3 });
    expect(d.acceptanceInterval.upper).toBeCloseTo(0.2, 15);
    expect(d.rejectionThresholds.upper).toBeCloseTo(0.4, 15);
  });
});

describe('floating-point noise exactly at a limit does not flip the decision', () => {
  it('0.1 + 0.2 (= 0.30000000000000004) is on the ±0.3 limit', () => {
    expect(outcome(0.1 + 0.2, mpe(0.3), simple)).toBe('pass');
    expect(outcome(0.1 + 0.2, mpe(0.3), guarded(), 0.1)).toBe('conditional_pass');
  });

  it('0.3 − 0.1 (= 0.19999999999999998) as acceptance limit still passes 0.2', () => {
    expect(outcome(0.2, mpe(0.3), guarded(), 0.1)).toBe('pass');
    expect(outcome(-0.2, { kind: 'asymmetric', lower: -0.3, upper: 0.3 }, guarded(), 0.1)).toBe('pass');
  });

  it('but a real excess of 1e-9 is not absorbed', () => {
    expect(outcome(0.3 + 1e-9, mpe(0.3), simple)).toBe('fail');
    expect(outcome(0.2 + 1e-9, mpe(0.3), guarded(), 0.1)).toBe('conditional_pass');
  });
});

describe('decision input validation', () => {
  it.each<[string, () => unknown, string]>([
    [
      'guarded without U',
      () => decideConformity({ measuredValue: 0, limits: mpe(1), rule: guarded() }),
      'expandedUncertainty',
    ],
    [
      'negative U',
      () => decideConformity({ measuredValue: 0, limits: mpe(1), rule: guarded(), expandedUncertainty: -1 }),
      'expandedUncertainty',
    ],
    [
      'negative MPE',
      () => decideConformity({ measuredValue: 0, limits: mpe(-1), rule: simple }),
      'limits.maximumPermissibleError',
    ],
    [
      'lower above upper',
      () => decideConformity({ measuredValue: 0, limits: { kind: 'asymmetric', lower: 1, upper: 0 }, rule: simple }),
      'limits.upper',
    ],
    [
      'negative r',
      () => decideConformity({ measuredValue: 0, limits: mpe(1), rule: guarded(-1), expandedUncertainty: 1 }),
      'rule.guardBandFactor',
    ],
    [
      'NaN measured value',
      () => decideConformity({ measuredValue: Number.NaN, limits: mpe(1), rule: simple }),
      'measuredValue',
    ],
    [
      'unknown rule',
      () => decideConformity({ measuredValue: 0, limits: mpe(1), rule: { kind: 'strict' } as unknown as DecisionRule }),
      'rule.kind',
    ],
  ])('%s', (_label, fn, field) => {
    try {
      fn();
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UncertaintyInputError);
      expect((e as UncertaintyInputError).field).toBe(field);
    }
  });
});

describe('overallOutcome — worst point decides', () => {
  it.each<[DecisionOutcome[], DecisionOutcome]>([
    [['pass'], 'pass'],
    [['pass', 'pass'], 'pass'],
    [['pass', 'conditional_pass'], 'conditional_pass'],
    [['conditional_pass', 'conditional_fail', 'pass'], 'conditional_fail'],
    [['conditional_fail', 'fail', 'pass'], 'fail'],
    [['fail', 'pass'], 'fail'],
  ])('%j → %s', (outcomes, expected) => {
    expect(overallOutcome(outcomes)).toBe(expected);
  });

  it('rejects an empty list and unknown outcomes', () => {
    expect(() => overallOutcome([])).toThrow(UncertaintyInputError);
    expect(() => overallOutcome(['pass', 'ok' as DecisionOutcome])).toThrow(UncertaintyInputError);
  });
});
