import { UnprocessableError, type ErrorCode } from '#libs/core';
import { UncertaintyInputError, WelchSatterthwaiteNotApplicableError, type BudgetEvaluation } from '#libs/uncertainty';
import { dofToText, numberToDecimal } from '../common/decimal-text.js';
import type { BudgetEvaluationView } from './dto/evaluate.dto.js';

/** The maths library's evaluation as it travels: decimal strings, ν = ∞ as null + flag. */
export function toBudgetView(e: BudgetEvaluation): BudgetEvaluationView {
  return {
    contributions: e.contributions.map((c) => ({
      name: c.name,
      kind: c.kind,
      ...(c.unit === undefined ? {} : { unit: c.unit }),
      ...(c.description === undefined ? {} : { description: c.description }),
      ...(c.estimate === undefined ? {} : { estimate: numberToDecimal(c.estimate) }),
      ...(c.experimentalStandardDeviation === undefined
        ? {}
        : { experimentalStandardDeviation: numberToDecimal(c.experimentalStandardDeviation) }),
      ...(c.observations === undefined ? {} : { observations: c.observations }),
      standardUncertainty: numberToDecimal(c.standardUncertainty),
      sensitivityCoefficient: numberToDecimal(c.sensitivityCoefficient),
      uncertaintyContribution: numberToDecimal(c.uncertaintyContribution),
      degreesOfFreedom: dofToText(c.degreesOfFreedom),
      degreesOfFreedomInfinite: !Number.isFinite(c.degreesOfFreedom),
      varianceSharePercent: numberToDecimal(c.varianceSharePercent),
    })),
    combinedStandardUncertainty: numberToDecimal(e.combinedStandardUncertainty),
    effectiveDegreesOfFreedom: dofToText(e.effectiveDegreesOfFreedom),
    effectiveDegreesOfFreedomInfinite: !Number.isFinite(e.effectiveDegreesOfFreedom),
    degreesOfFreedomForCoverage:
      e.degreesOfFreedomForCoverage === null ? null : dofToText(e.degreesOfFreedomForCoverage),
    coverageProbability: numberToDecimal(e.coverageProbability),
    coverageFactor: numberToDecimal(e.coverageFactor),
    coverageFactorMethod: e.coverageFactorMethod,
    ...(e.coverageFactorFallback === undefined
      ? {}
      : {
          coverageFactorFallback: {
            kind: e.coverageFactorFallback.kind,
            coverageFactor: String(e.coverageFactorFallback.coverageFactor),
            problem: e.coverageFactorFallback.problem,
            reason: e.coverageFactorFallback.reason,
          },
        }),
    expandedUncertainty: numberToDecimal(e.expandedUncertainty),
    roundedExpandedUncertainty: {
      value: e.roundedExpandedUncertainty.text,
      decimalPlaces: e.roundedExpandedUncertainty.decimalPlaces,
      significantDigits: e.roundedExpandedUncertainty.significantDigits,
      roundedUp: e.roundedExpandedUncertainty.roundedUp,
    },
    ...(e.roundedResult
      ? { roundedResult: { value: e.roundedResult.text, decimalPlaces: e.roundedResult.decimalPlaces } }
      : {}),
  };
}

/**
 * Runs a maths call and turns its UncertaintyInputError into a 422 naming the field (a budget where
 * Welch–Satterthwaite does not apply keeps its own code, `uncertainty.welch_satterthwaite_not_applicable`); `prefix` maps the
 * maths library's paths onto the request's (`components[2]` → `points[0].budget[2]`).
 */
export function withUncertaintyErrors<T>(
  work: () => T,
  prefix: (field: string) => string = (f) => f,
  code: ErrorCode = 'uncertainty.invalid_input',
): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof UncertaintyInputError) {
      const field = prefix(e.field);
      const message = e.message.slice(e.field.length + 2);
      if (e instanceof WelchSatterthwaiteNotApplicableError) {
        throw new UnprocessableError(
          e.code,
          `No coverage factor from Welch–Satterthwaite: ${message}. Ask for coverageFactorFallback 'k2' to state k = 2 instead`,
          { problem: e.problem, errors: [{ field, message: `${field}: ${message}` }] },
        );
      }
      throw new UnprocessableError(code, `The uncertainty budget cannot be evaluated: ${field} ${message}`, {
        errors: [{ field, message: `${field} ${message}` }],
      });
    }
    throw e;
  }
}
