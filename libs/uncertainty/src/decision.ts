import { UncertaintyInputError, requireFinite, requireNonNegative } from './errors.js';

/** kết luận phù hợp — conformity outcome (ILAC-G8:09/2019 §4.2). */
export type DecisionOutcome = 'pass' | 'conditional_pass' | 'conditional_fail' | 'fail';

/**
 * giới hạn dung sai — tolerance limits.
 * symmetric: nominal ± MPE (sai số cho phép lớn nhất); with nominal 0 the measured value is an error.
 * asymmetric: explicit lower/upper limits; use ±Infinity for a one-sided specification.
 */
export type ToleranceLimits =
  | { kind: 'symmetric'; maximumPermissibleError: number; nominal?: number }
  | { kind: 'asymmetric'; lower: number; upper: number };

/** quy tắc quyết định — decision rule. */
export type DecisionRule =
  /** Simple acceptance / shared risk (ILAC-G8 §4.2.1): the uncertainty is not taken into account. */
  | { kind: 'simple' }
  /** Guarded acceptance with guard band w = r·U (ILAC-G8 §4.2.2–4.2.3); r defaults to 1. */
  | { kind: 'guarded'; guardBandFactor?: number };

export interface DecisionInput {
  /** Measured value (or measured error when limits are ±MPE about 0). */
  measuredValue: number;
  /** Expanded uncertainty U of the measured value; required (≥ 0) for the guarded rule. */
  expandedUncertainty?: number;
  limits: ToleranceLimits;
  rule: DecisionRule;
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface DecisionResult {
  outcome: DecisionOutcome;
  /** Tolerance interval [T_L, T_U]. */
  toleranceInterval: Interval;
  /** dải bảo vệ — guard band w (0 for simple acceptance). */
  guardBand: number;
  /** Pass zone [T_L + w, T_U − w]; lower > upper when the guard band swallows the tolerance. */
  acceptanceInterval: Interval;
  /** Outside [T_L − w, T_U + w] is a fail. */
  rejectionThresholds: Interval;
}

/**
 * Relative tolerance for comparisons against a limit, scaled by the largest finite magnitude among
 * the measured value, the limits and the tolerance width. Binary noise such as 0.1 + 0.2 =
 * 0.30000000000000004 is ~1e-16 relative; 1e-12 absorbs it with margin while staying far below
 * the resolution of any real measurement, so only values that are "the same number" are treated as equal.
 */
export const DECISION_RELATIVE_TOLERANCE = 1e-12;

function toleranceInterval(limits: ToleranceLimits): Interval {
  if (typeof limits !== 'object' || limits === null) {
    throw new UncertaintyInputError('limits', 'must be an object');
  }
  if (limits.kind === 'symmetric') {
    const mpe = requireNonNegative(limits.maximumPermissibleError, 'limits.maximumPermissibleError');
    const nominal = limits.nominal === undefined ? 0 : requireFinite(limits.nominal, 'limits.nominal');
    return { lower: nominal - mpe, upper: nominal + mpe };
  }
  if (limits.kind === 'asymmetric') {
    const { lower, upper } = limits;
    if (typeof lower !== 'number' || Number.isNaN(lower) || lower === Infinity) {
      throw new UncertaintyInputError('limits.lower', 'must be a number or -Infinity');
    }
    if (typeof upper !== 'number' || Number.isNaN(upper) || upper === -Infinity) {
      throw new UncertaintyInputError('limits.upper', 'must be a number or Infinity');
    }
    if (lower > upper) throw new UncertaintyInputError('limits.upper', 'must not be below limits.lower');
    return { lower, upper };
  }
  throw new UncertaintyInputError('limits.kind', "must be 'symmetric' or 'asymmetric'");
}

function guardBandFactor(rule: DecisionRule): number {
  if (typeof rule !== 'object' || rule === null) throw new UncertaintyInputError('rule', 'must be an object');
  if (rule.kind === 'simple') return 0;
  if (rule.kind === 'guarded') {
    return rule.guardBandFactor === undefined ? 1 : requireNonNegative(rule.guardBandFactor, 'rule.guardBandFactor');
  }
  throw new UncertaintyInputError('rule.kind', "must be 'simple' or 'guarded'");
}

/**
 * Apply a decision rule to one measured point (ILAC-G8:09/2019).
 *
 * Boundaries, following "on the limit counts as within": with w = r·U,
 *   pass             T_L + w ≤ x ≤ T_U − w
 *   conditional_pass T_L ≤ x ≤ T_U but not pass (inside tolerance, within the guard band)
 *   conditional_fail T_L − w ≤ x < T_L or T_U < x ≤ T_U + w
 *   fail             x < T_L − w or x > T_U + w
 * Simple acceptance is the w = 0 case: pass on or inside the limits, otherwise fail.
 * Every "≤" is evaluated with DECISION_RELATIVE_TOLERANCE, so a value that equals a
 * boundary up to binary rounding is on it.
 */
export function decideConformity(input: DecisionInput): DecisionResult {
  const x = requireFinite(input.measuredValue, 'measuredValue');
  const tolerance = toleranceInterval(input.limits);
  const r = guardBandFactor(input.rule);
  let w = 0;
  if (input.rule.kind === 'guarded') {
    if (input.expandedUncertainty === undefined) {
      throw new UncertaintyInputError('expandedUncertainty', 'is required for guarded acceptance');
    }
    w = r * requireNonNegative(input.expandedUncertainty, 'expandedUncertainty');
  }

  const scale = Math.max(
    Math.abs(x),
    ...[tolerance.lower, tolerance.upper, tolerance.upper - tolerance.lower].filter(Number.isFinite).map(Math.abs),
  );
  const eps = DECISION_RELATIVE_TOLERANCE * scale;
  const atMost = (a: number, b: number): boolean => a <= b + eps;

  const acceptanceInterval = { lower: tolerance.lower + w, upper: tolerance.upper - w };
  const rejectionThresholds = { lower: tolerance.lower - w, upper: tolerance.upper + w };

  let outcome: DecisionOutcome;
  if (atMost(acceptanceInterval.lower, x) && atMost(x, acceptanceInterval.upper)) {
    outcome = 'pass';
  } else if (atMost(tolerance.lower, x) && atMost(x, tolerance.upper)) {
    outcome = 'conditional_pass';
  } else if (atMost(rejectionThresholds.lower, x) && atMost(x, rejectionThresholds.upper)) {
    outcome = 'conditional_fail';
  } else {
    outcome = 'fail';
  }
  // With w = 0 the three zone tests coincide, so this cannot change anything; it states that
  // simple acceptance is binary by definition and guards against future edits of the zones.
  if (input.rule.kind === 'simple' && outcome !== 'pass') outcome = 'fail';

  return { outcome, toleranceInterval: tolerance, guardBand: w, acceptanceInterval, rejectionThresholds };
}

const SEVERITY: Record<DecisionOutcome, number> = {
  pass: 0,
  conditional_pass: 1,
  conditional_fail: 2,
  fail: 3,
};

/**
 * Overall outcome for an item from its per-point outcomes: the worst one wins
 * (fail > conditional_fail > conditional_pass > pass).
 */
export function overallOutcome(outcomes: readonly DecisionOutcome[]): DecisionOutcome {
  if (outcomes.length === 0) throw new UncertaintyInputError('outcomes', 'at least one outcome is required');
  let worst: DecisionOutcome = 'pass';
  outcomes.forEach((outcome, i) => {
    const severity = SEVERITY[outcome] as number | undefined;
    if (severity === undefined) throw new UncertaintyInputError(`outcomes[${i}]`, 'unknown outcome');
    if (severity > SEVERITY[worst]) worst = outcome;
  });
  return worst;
}
