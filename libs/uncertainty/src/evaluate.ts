import { type CorrelationInput, combinedStandardUncertainty, welchSatterthwaite } from './combine.js';
import {
  type ComponentKind,
  type ResolvedComponent,
  type UncertaintyComponentInput,
  resolveComponent,
} from './components.js';
import {
  UncertaintyInputError,
  WelchSatterthwaiteNotApplicableError,
  type WelchSatterthwaiteProblem,
  requireFinite,
  requirePositive,
  requireProbability,
} from './errors.js';
import {
  type RoundedUncertainty,
  type RoundedValue,
  roundExpandedUncertainty,
  roundResultToUncertainty,
} from './reporting.js';
import {
  type CoverageFactorMethod,
  type CoverageFactorResult,
  type DegreesOfFreedomMode,
  DEFAULT_COVERAGE_PROBABILITY,
  coverageFactorDetails,
} from './student-t.js';

/** bảng ngân sách độ không đảm bảo đo — uncertainty budget to evaluate. */
export interface BudgetInput {
  components: readonly UncertaintyComponentInput[];
  /** Pairs not listed are uncorrelated. */
  correlations?: readonly CorrelationInput[];
  /** xác suất phủ — coverage probability p; default 0.9545. */
  coverageProbability?: number;
  /** Non-integer ν_eff handling for the t lookup; default 'truncate' (GUM G.4.1, EA-4/02 Annex E). */
  dofMode?: DegreesOfFreedomMode;
  /** k = 2 exactly for p = 95.45 % and infinite ν_eff; default true. */
  conventionalK2?: boolean;
  /** Fixed coverage factor imposed by a procedure; bypasses the t distribution. */
  coverageFactor?: number;
  /**
   * What to do where Welch–Satterthwaite does not apply (see WelchSatterthwaiteNotApplicableError):
   * absent = refuse; 'k2' = impose k = 2 and say so in `coverageFactorFallback`. Ignored when
   * `coverageFactor` is given.
   */
  coverageFactorFallback?: CoverageFactorFallbackKind;
  /** kết quả đo — measurement result y, to be rounded to the place of the rounded U. */
  result?: number;
  /** Significant digits of the reported U (1 or 2); default 2. */
  significantDigits?: 1 | 2;
}

/** The stated fallbacks a budget may ask for; only k = 2 so far. */
export const COVERAGE_FACTOR_FALLBACKS = ['k2'] as const;
export type CoverageFactorFallbackKind = (typeof COVERAGE_FACTOR_FALLBACKS)[number];

/**
 * Largest k taken from Student's t without complaint. t₀.₉₇₇₂₅(1) = 13.97 and t(2) = 4.53: a k above 10
 * only arises for ν_eff < 2 (or an extreme p), where U says more about the missing readings than the
 * measurement (the issue asks for "never a silent k > 10").
 */
export const MAX_COVERAGE_FACTOR = 10;

/** Written on the evaluation when k = 2 was imposed because Welch–Satterthwaite did not apply. */
export interface CoverageFactorFallback {
  kind: CoverageFactorFallbackKind;
  coverageFactor: 2;
  problem: WelchSatterthwaiteProblem;
  /** Why, in words, for the worksheet and the certificate. */
  reason: string;
}

/** One row of the budget table, unrounded. */
export interface BudgetContribution {
  name: string;
  kind: ComponentKind;
  unit?: string;
  description?: string;
  estimate?: number;
  experimentalStandardDeviation?: number;
  observations?: number;
  /** u(xᵢ) */
  standardUncertainty: number;
  /** cᵢ */
  sensitivityCoefficient: number;
  /** uᵢ(y) = cᵢ·u(xᵢ), signed (its sign matters only for correlated terms). */
  uncertaintyContribution: number;
  /** νᵢ */
  degreesOfFreedom: number;
  /**
   * (cᵢuᵢ)² / u_c² × 100. Sums to 100 without correlations; with correlations the
   * covariance terms make up the remainder (which may be negative).
   */
  varianceSharePercent: number;
}

export interface BudgetEvaluation {
  contributions: BudgetContribution[];
  /** u_c(y) */
  combinedStandardUncertainty: number;
  /** ν_eff (Welch–Satterthwaite), unrounded; Infinity when every contributing ν is infinite. */
  effectiveDegreesOfFreedom: number;
  /** ν used for k after truncation; Infinity for the normal/conventional case; null when k was imposed. */
  degreesOfFreedomForCoverage: number | null;
  coverageProbability: number;
  /** hệ số phủ k, unrounded */
  coverageFactor: number;
  coverageFactorMethod: CoverageFactorMethod | 'fixed' | 'fallback_k2';
  /** Present only when the requested fallback was used: k = 2 imposed, and why. */
  coverageFactorFallback?: CoverageFactorFallback;
  /** độ không đảm bảo đo mở rộng — U = k·u_c, unrounded */
  expandedUncertainty: number;
  /** U as reported (≤ 2 significant digits, 5 % round-up rule). */
  roundedExpandedUncertainty: RoundedUncertainty;
  /** y rounded to the decimal place of the reported U; present only when `result` was given. */
  roundedResult?: RoundedValue;
}

/**
 * Evaluate an uncertainty budget per GUM (JCGM 100:2008) §5–7 and EA-4/02: standard uncertainties,
 * u_c (eq. 10/16), ν_eff (eq. G.2b), k from Student's t, U = k·u_c, and the reported roundings.
 * Throws UncertaintyInputError for invalid input, including a budget whose u_c is zero
 * (nothing to report and no decimal place to round the result to).
 */
export function evaluateBudget(input: BudgetInput): BudgetEvaluation {
  const components = resolveComponents(input);
  const uc = combinedStandardUncertainty(components, input.correlations ?? []);
  if (uc === 0) {
    throw new UncertaintyInputError('components', 'combined standard uncertainty is zero; nothing to report');
  }
  const nuEff = welchSatterthwaite(components, uc);
  const p =
    input.coverageProbability === undefined
      ? DEFAULT_COVERAGE_PROBABILITY
      : requireProbability(input.coverageProbability, 'coverageProbability');
  const { k, method, dofForCoverage, fallback } = coverageFactorOf(input, components, nuEff, p);

  const U = k * uc;
  const roundedU = roundExpandedUncertainty(U, { significantDigits: input.significantDigits ?? 2 });
  const evaluation: BudgetEvaluation = {
    contributions: contributionsOf(components, uc),
    combinedStandardUncertainty: uc,
    effectiveDegreesOfFreedom: nuEff,
    degreesOfFreedomForCoverage: dofForCoverage,
    coverageProbability: p,
    coverageFactor: k,
    coverageFactorMethod: method,
    ...(fallback === undefined ? {} : { coverageFactorFallback: fallback }),
    expandedUncertainty: U,
    roundedExpandedUncertainty: roundedU,
  };
  if (input.result !== undefined) {
    evaluation.roundedResult = roundResultToUncertainty(requireFinite(input.result, 'result'), roundedU);
  }
  return evaluation;
}

/** Every component checked and converted to its standard uncertainty; names unique. */
function resolveComponents(input: BudgetInput): ResolvedComponent[] {
  if (typeof input !== 'object' || input === null) throw new UncertaintyInputError('input', 'must be an object');
  if (!Array.isArray(input.components) || input.components.length === 0) {
    throw new UncertaintyInputError('components', 'at least one component is required');
  }
  const components = input.components.map((c, i) => resolveComponent(c, `components[${i}]`));
  const seen = new Set<string>();
  components.forEach((c, i) => {
    if (seen.has(c.name))
      throw new UncertaintyInputError(`components[${i}].name`, `duplicate component name ${JSON.stringify(c.name)}`);
    seen.add(c.name);
  });
  return components;
}

/**
 * k: imposed, or from Student's t at ν_eff (GUM G.4); k = 2 where Welch–Satterthwaite does not apply
 * and the input asked for that fallback.
 */
function coverageFactorOf(
  input: BudgetInput,
  components: ResolvedComponent[],
  nuEff: number,
  p: number,
): {
  k: number;
  method: CoverageFactorMethod | 'fixed' | 'fallback_k2';
  dofForCoverage: number | null;
  fallback?: CoverageFactorFallback;
} {
  if (input.coverageFactor !== undefined) {
    return { k: requirePositive(input.coverageFactor, 'coverageFactor'), method: 'fixed', dofForCoverage: null };
  }
  const fallbackKind = requireFallbackKind(input.coverageFactorFallback);
  try {
    const details = coverageFactorFromWelchSatterthwaite(components, input.correlations ?? [], nuEff, p, {
      dofMode: input.dofMode ?? 'truncate',
      conventionalK2: input.conventionalK2 ?? true,
    });
    return { k: details.coverageFactor, method: details.method, dofForCoverage: details.degreesOfFreedom };
  } catch (e) {
    if (!(e instanceof WelchSatterthwaiteNotApplicableError) || fallbackKind === undefined) throw e;
    return {
      k: 2,
      method: 'fallback_k2',
      dofForCoverage: null,
      fallback: {
        kind: fallbackKind,
        coverageFactor: 2,
        problem: e.problem,
        reason: `${e.message.slice(e.field.length + 2)}; k = 2 imposed as requested`,
      },
    };
  }
}

/** Each component's contribution c·u and its share of u_c². */
function contributionsOf(components: ResolvedComponent[], uc: number): BudgetContribution[] {
  const variance = uc * uc;
  return components.map((c) => {
    const contribution = c.sensitivityCoefficient * c.standardUncertainty;
    return {
      ...c,
      uncertaintyContribution: contribution,
      varianceSharePercent: ((contribution * contribution) / variance) * 100,
    };
  });
}

function requireFallbackKind(value: unknown): CoverageFactorFallbackKind | undefined {
  if (value === undefined) return undefined;
  if (!(COVERAGE_FACTOR_FALLBACKS as readonly unknown[]).includes(value)) {
    throw new UncertaintyInputError('coverageFactorFallback', `must be one of ${COVERAGE_FACTOR_FALLBACKS.join(', ')}`);
  }
  return value as CoverageFactorFallbackKind;
}

const dofText = (nu: number): string => (Number.isFinite(nu) ? String(Number(nu.toPrecision(3))) : '∞');

/**
 * k from Student's t at ν_eff, refusing (WelchSatterthwaiteNotApplicableError) where G.4.1 does not
 * apply: a correlated input with finite ν, ν_eff < 1, or a k above MAX_COVERAGE_FACTOR.
 */
function coverageFactorFromWelchSatterthwaite(
  components: readonly ResolvedComponent[],
  correlations: readonly CorrelationInput[],
  nuEff: number,
  p: number,
  options: { dofMode: DegreesOfFreedomMode; conventionalK2: boolean },
): CoverageFactorResult {
  const byName = new Map(components.map((c) => [c.name, c]));
  const contributes = (c: ResolvedComponent | undefined): c is ResolvedComponent =>
    c !== undefined && c.sensitivityCoefficient * c.standardUncertainty !== 0;
  for (const [n, r] of correlations.entries()) {
    const a = byName.get(r.first);
    const b = byName.get(r.second);
    if (r.coefficient === 0 || !contributes(a) || !contributes(b)) continue;
    if (Number.isFinite(a.degreesOfFreedom) || Number.isFinite(b.degreesOfFreedom)) {
      throw new WelchSatterthwaiteNotApplicableError(
        `correlations[${n}]`,
        'correlated_finite_dof',
        `${a.name} (ν = ${dofText(a.degreesOfFreedom)}) and ${b.name} (ν = ${dofText(b.degreesOfFreedom)}) are ` +
          `correlated (r = ${r.coefficient}); Welch–Satterthwaite holds for independent inputs only, so ν_eff and k ` +
          'cannot be established',
      );
    }
  }
  if (nuEff < 1) {
    throw new WelchSatterthwaiteNotApplicableError(
      'components',
      'effective_dof_below_one',
      `ν_eff = ${dofText(nuEff)} is below 1; Student's t gives no coverage factor`,
    );
  }
  const details = coverageFactorDetails(p, nuEff, options);
  if (details.coverageFactor > MAX_COVERAGE_FACTOR) {
    throw new WelchSatterthwaiteNotApplicableError(
      'components',
      'coverage_factor_too_large',
      `k = ${details.coverageFactor.toFixed(2)} from ν_eff = ${dofText(nuEff)} exceeds ${MAX_COVERAGE_FACTOR}; ` +
        'too few degrees of freedom for a meaningful expanded uncertainty',
    );
  }
  return details;
}
