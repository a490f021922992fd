import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { UncertaintyInputError, requireDegreesOfFreedom, requireProbability } from './errors.js';

/**
 * Above this many degrees of freedom the normal quantile is used instead of Student's t.
 * At ν = 10⁶ the two differ by about (z² + 1)/(4ν) ≈ 1.25·10⁻⁶ relative for k ≈ 2, three
 * orders of magnitude below the two decimals k is ever reported with; the stdlib t quantile
 * itself returns NaN for ν = Infinity. t(ν) > z for every finite ν, so the switch keeps k
 * non-increasing in ν.
 */
export const NORMAL_APPROXIMATION_DOF = 1e6;

/** GUM/EA-4/02 conventional coverage probability for k = 2 with a normal distribution (95.45 %). */
export const DEFAULT_COVERAGE_PROBABILITY = 0.9545;

/**
 * How a non-integer ν_eff enters the t table. 'truncate' = next lower integer, as GUM G.4.1
 * note 1 and EA-4/02 Annex E do (conservative: larger k); 'exact' = real-valued ν.
 */
export type DegreesOfFreedomMode = 'truncate' | 'exact';

export interface CoverageFactorOptions {
  /** Default 'truncate'. */
  dofMode?: DegreesOfFreedomMode;
  /**
   * Report exactly k = 2 when p = 95.45 % and ν is infinite (or above NORMAL_APPROXIMATION_DOF):
   * the normal quantile at 0.9545 is 2.0000024, whereas GUM Table G.1 pairs 95.45 % with k = 2 and
   * EA-4/02 §5 states "k = 2" for this case. Default true.
   */
  conventionalK2?: boolean;
}

export type CoverageFactorMethod = 'student_t' | 'normal' | 'conventional_k2';

export interface CoverageFactorResult {
  /** hệ số phủ — coverage factor k */
  coverageFactor: number;
  /** ν actually looked up in the t distribution (after truncation); Infinity for the normal case. */
  degreesOfFreedom: number;
  method: CoverageFactorMethod;
}

/** Tolerance for recognising p = 0.9545 (also accepts the exact 2σ probability erf(√2) = 0.954499736…). */
const K2_PROBABILITY_TOLERANCE = 1e-6;

/**
 * One-sided quantile t_q(ν) of Student's t distribution with real ν > 0 (normal quantile for
 * ν > NORMAL_APPROXIMATION_DOF, including Infinity, which the stdlib t quantile maps to NaN).
 */
export function studentTQuantile(q: number, dof: number): number {
  requireProbability(q, 'probability');
  requireDegreesOfFreedom(dof, 'degreesOfFreedom');
  return dof > NORMAL_APPROXIMATION_DOF ? normalQuantile(q, 0, 1) : tQuantile(q, dof);
}

/**
 * ν to use for the t lookup. Truncation adds 1e-9 before flooring so 16.999999999999996
 * (Welch–Satterthwaite rounding noise around an integer) counts as 17; ν < 1 is kept as is
 * because truncating it to 0 would leave no distribution at all.
 */
export function degreesOfFreedomForCoverage(effectiveDof: number, mode: DegreesOfFreedomMode = 'truncate'): number {
  requireDegreesOfFreedom(effectiveDof, 'effectiveDegreesOfFreedom');
  if (mode !== 'truncate' && mode !== 'exact')
    throw new UncertaintyInputError('dofMode', "must be 'truncate' or 'exact'");
  if (mode === 'exact' || effectiveDof === Infinity || effectiveDof < 1) return effectiveDof;
  return Math.floor(effectiveDof + 1e-9);
}

/**
 * Coverage factor k = t_{(1+p)/2}(ν_eff) for a two-sided coverage probability p (GUM G.3.4, G.4.1;
 * EA-4/02 Annex E). The default p is 0.9545.
 */
export function coverageFactorDetails(
  coverageProbability: number = DEFAULT_COVERAGE_PROBABILITY,
  effectiveDof: number = Infinity,
  options: CoverageFactorOptions = {},
): CoverageFactorResult {
  const p = requireProbability(coverageProbability, 'coverageProbability');
  const dof = degreesOfFreedomForCoverage(effectiveDof, options.dofMode ?? 'truncate');
  const normal = dof > NORMAL_APPROXIMATION_DOF;
  if (
    normal &&
    (options.conventionalK2 ?? true) &&
    Math.abs(p - DEFAULT_COVERAGE_PROBABILITY) <= K2_PROBABILITY_TOLERANCE
  ) {
    return { coverageFactor: 2, degreesOfFreedom: Infinity, method: 'conventional_k2' };
  }
  return {
    coverageFactor: studentTQuantile((1 + p) / 2, dof),
    degreesOfFreedom: normal ? Infinity : dof,
    method: normal ? 'normal' : 'student_t',
  };
}

/** Shorthand for coverageFactorDetails(...).coverageFactor. */
export function coverageFactor(
  coverageProbability: number = DEFAULT_COVERAGE_PROBABILITY,
  effectiveDof: number = Infinity,
  options: CoverageFactorOptions = {},
): number {
  return coverageFactorDetails(coverageProbability, effectiveDof, options).coverageFactor;
}
