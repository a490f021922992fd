import { type CorrelationInput, combinedStandardUncertainty, welchSatterthwaite } from './combine.js';
import { type ComponentKind, type UncertaintyComponentInput, resolveComponent } from './components.js';
import { UncertaintyInputError, requireFinite, requirePositive, requireProbability } from './errors.js';
import {
  type RoundedUncertainty,
  type RoundedValue,
  roundExpandedUncertainty,
  roundResultToUncertainty,
} from './reporting.js';
import {
  type CoverageFactorMethod,
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
  /** kết quả đo — measurement result y, to be rounded to the place of the rounded U. */
  result?: number;
  /** Significant digits of the reported U (1 or 2); default 2. */
  significantDigits?: 1 | 2;
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
  coverageFactorMethod: CoverageFactorMethod | 'fixed';
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

  const uc = combinedStandardUncertainty(components, input.correlations ?? []);
  if (uc === 0) {
    throw new UncertaintyInputError('components', 'combined standard uncertainty is zero; nothing to report');
  }
  const nuEff = welchSatterthwaite(components, uc);
  const p =
    input.coverageProbability === undefined
      ? DEFAULT_COVERAGE_PROBABILITY
      : requireProbability(input.coverageProbability, 'coverageProbability');

  let k: number;
  let method: CoverageFactorMethod | 'fixed';
  let dofForCoverage: number | null;
  if (input.coverageFactor !== undefined) {
    k = requirePositive(input.coverageFactor, 'coverageFactor');
    method = 'fixed';
    dofForCoverage = null;
  } else {
    const details = coverageFactorDetails(p, nuEff, {
      dofMode: input.dofMode ?? 'truncate',
      conventionalK2: input.conventionalK2 ?? true,
    });
    k = details.coverageFactor;
    method = details.method;
    dofForCoverage = details.degreesOfFreedom;
  }

  const U = k * uc;
  const roundedU = roundExpandedUncertainty(U, { significantDigits: input.significantDigits ?? 2 });
  const variance = uc * uc;

  const evaluation: BudgetEvaluation = {
    contributions: components.map((c) => {
      const contribution = c.sensitivityCoefficient * c.standardUncertainty;
      return {
        ...c,
        uncertaintyContribution: contribution,
        varianceSharePercent: ((contribution * contribution) / variance) * 100,
      };
    }),
    combinedStandardUncertainty: uc,
    effectiveDegreesOfFreedom: nuEff,
    degreesOfFreedomForCoverage: dofForCoverage,
    coverageProbability: p,
    coverageFactor: k,
    coverageFactorMethod: method,
    expandedUncertainty: U,
    roundedExpandedUncertainty: roundedU,
  };
  if (input.result !== undefined) {
    evaluation.roundedResult = roundResultToUncertainty(requireFinite(input.result, 'result'), roundedU);
  }
  return evaluation;
}
