import {
  evaluateBudget,
  roundToDecimalPlaces,
  UncertaintyInputError,
  type BudgetEvaluation,
  type UncertaintyComponentInput,
} from '#libs/uncertainty';

/**
 * What the analyst gives for one row's uncertainty, in the parameter's unit: the components of a
 * budget (GUM: Type A, Type B…), or an expanded uncertainty U already evaluated with its coverage
 * factor k. Never both.
 */
export interface RowUncertaintyInput {
  components?: UncertaintyComponentInput[];
  /** Coverage probability: for k from ν_eff, or the one the U given has; default 0.9545 (libs/uncertainty). */
  coverageProbability?: number;
  expandedUncertainty?: string;
  coverageFactor?: string;
}

/** Stored on the row (`test_result_row.uncertainty`): the input and what libs/uncertainty made of it. */
export interface RowUncertaintyBudget {
  input: RowUncertaintyInput;
  combinedStandardUncertainty: number;
  /** ν_eff; null when infinite (every contributing ν infinite). */
  effectiveDegreesOfFreedom: number | null;
  coverageProbability: number;
  coverageFactorMethod: BudgetEvaluation['coverageFactorMethod'];
  /** k and U unrounded. */
  coverageFactor: number;
  expandedUncertainty: number;
}

export interface RowUncertainty {
  /** U as reported: at most two significant digits (GUM 7.2.6), a decimal string: printed, and used by the guarded rule. */
  expandedUncertainty: string;
  /** k as printed: the analyst's when U was given, else two decimals (as calibration prints it). */
  coverageFactor: string;
  budget: RowUncertaintyBudget;
}

/** A row's uncertainty that cannot be evaluated; `field` is relative to the row's `uncertainty`. */
export class RowUncertaintyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RowUncertaintyError';
  }
}

/**
 * The expanded uncertainty of one row through libs/uncertainty, as calibration evaluates its points:
 * from components, u_c, ν_eff (Welch–Satterthwaite) and k = t_p(ν_eff); from U and k, the budget of
 * that one Type B component with k imposed. U is rounded to two significant digits. Pure.
 */
export function evaluateRowUncertainty(input: RowUncertaintyInput): RowUncertainty {
  const given = input.expandedUncertainty !== undefined;
  const components = input.components ?? [];
  if (given === components.length > 0)
    throw new RowUncertaintyError('', 'give either the components of the budget or U with its k, not both');
  if (given && input.coverageFactor === undefined)
    throw new RowUncertaintyError('coverageFactor', 'U is given with its coverage factor k');
  if (!given && input.coverageFactor !== undefined)
    throw new RowUncertaintyError('coverageFactor', 'k is computed from the components (ν_eff); give it only with U');
  const k = Number(input.coverageFactor);
  const evaluation = evaluate(
    given
      ? {
          components: [
            {
              name: 'U',
              kind: 'type_b_expanded',
              expandedUncertainty: Number(input.expandedUncertainty),
              coverageFactor: k,
            },
          ],
          coverageFactor: k,
          ...(input.coverageProbability === undefined ? {} : { coverageProbability: input.coverageProbability }),
        }
      : {
          components,
          ...(input.coverageProbability === undefined ? {} : { coverageProbability: input.coverageProbability }),
        },
    given,
  );
  const nu = evaluation.effectiveDegreesOfFreedom;
  return {
    expandedUncertainty: evaluation.roundedExpandedUncertainty.text,
    coverageFactor: given ? input.coverageFactor! : roundToDecimalPlaces(evaluation.coverageFactor, 2).text,
    budget: {
      input,
      combinedStandardUncertainty: evaluation.combinedStandardUncertainty,
      effectiveDegreesOfFreedom: Number.isFinite(nu) ? nu : null,
      coverageProbability: evaluation.coverageProbability,
      coverageFactorMethod: evaluation.coverageFactorMethod,
      coverageFactor: evaluation.coverageFactor,
      expandedUncertainty: evaluation.expandedUncertainty,
    },
  };
}

/** The library's refusal, its field named from the row's `uncertainty` (U and k given: their own fields). */
function evaluate(budget: Parameters<typeof evaluateBudget>[0], given: boolean): BudgetEvaluation {
  try {
    return evaluateBudget(budget);
  } catch (e) {
    if (!(e instanceof UncertaintyInputError)) throw e;
    // With U and k given, the one component is theirs: name the row's own fields.
    const field = !given
      ? e.field
      : e.field === 'components'
        ? 'expandedUncertainty'
        : e.field.replace(/^components\[0\]\./, '');
    throw new RowUncertaintyError(field, e.message);
  }
}
