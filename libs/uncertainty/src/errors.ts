import type { UncertaintyErrorCode } from './uncertainty.errors.js';

/**
 * Thrown for any input the maths cannot meaningfully evaluate (lỗi dữ liệu đầu vào).
 * `field` is a JSON-style path into the caller's input (e.g. `components[2].halfWidth`)
 * so the API layer can map it to a 400/422 response pointing at the offending field.
 */
export class UncertaintyInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'UncertaintyInputError';
    this.field = field;
  }
}

/** Finite real number (rejects NaN, ±Infinity and non-numbers smuggled in from JSON). */
export function requireFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new UncertaintyInputError(field, 'must be a finite number');
  }
  return value;
}

export function requireNonNegative(value: unknown, field: string): number {
  const v = requireFinite(value, field);
  if (v < 0) throw new UncertaintyInputError(field, 'must not be negative');
  return v;
}

export function requirePositive(value: unknown, field: string): number {
  const v = requireFinite(value, field);
  if (v <= 0) throw new UncertaintyInputError(field, 'must be greater than zero');
  return v;
}

/** Degrees of freedom: strictly positive, `Infinity` allowed (= exactly known / Type B default). */
export function requireDegreesOfFreedom(value: unknown, field: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new UncertaintyInputError(field, 'degrees of freedom must be > 0 (Infinity allowed)');
  }
  return value;
}

/** Coverage probability strictly inside (0, 1): 0 and 1 have no finite quantile. */
export function requireProbability(value: unknown, field: string): number {
  const v = requireFinite(value, field);
  if (v <= 0 || v >= 1) throw new UncertaintyInputError(field, 'must lie strictly between 0 and 1');
  return v;
}

/** Why Welch–Satterthwaite (GUM G.4.1) cannot give a coverage factor for a budget. */
export type WelchSatterthwaiteProblem =
  /** A correlated input has finite ν: G.4.1 is derived for independent inputs only. */
  | 'correlated_finite_dof'
  /** ν_eff < 1: no Student t distribution to take k from. */
  | 'effective_dof_below_one'
  /** k from t(ν_eff) exceeds MAX_COVERAGE_FACTOR: U would be mostly an artefact of too few degrees of freedom. */
  | 'coverage_factor_too_large';

/**
 * The budget is valid, but ν_eff and hence k cannot be established (lỗi: không áp dụng được công thức
 * Welch–Satterthwaite). The caller may ask for the stated k = 2 fallback instead.
 */
export class WelchSatterthwaiteNotApplicableError extends UncertaintyInputError {
  readonly code = 'uncertainty.welch_satterthwaite_not_applicable' satisfies UncertaintyErrorCode;
  readonly problem: WelchSatterthwaiteProblem;

  constructor(field: string, problem: WelchSatterthwaiteProblem, message: string) {
    super(field, message);
    this.name = 'WelchSatterthwaiteNotApplicableError';
    this.problem = problem;
  }
}
