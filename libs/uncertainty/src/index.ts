/**
 * @packageDocumentation
 * Measurement uncertainty (độ không đảm bảo đo) per JCGM 100:2008 (GUM), EA-4/02 and
 * conformity decisions per ILAC-G8:09/2019. Pure functions on plain numbers.
 */
export * from './uncertainty.errors.js';
export type { WelchSatterthwaiteProblem } from './errors.js';
export { UncertaintyInputError, WelchSatterthwaiteNotApplicableError } from './errors.js';

export type {
  ComponentKind,
  LimitDistribution,
  ResolvedComponent,
  TypeAReadingsComponent,
  TypeAStandardComponent,
  TypeBExpandedComponent,
  TypeBLimitsComponent,
  TypeBNormalLimitsComponent,
  TypeBResolutionComponent,
  TypeBStandardComponent,
  UncertaintyComponentInput,
} from './components.js';
export { degreesOfFreedomFromReliability, meanAndStandardDeviation, resolveComponent } from './components.js';

export type { CorrelationInput, WeightedUncertainty } from './combine.js';
export { combinedStandardUncertainty, correlationFromReadings, welchSatterthwaite } from './combine.js';

export type {
  CoverageFactorMethod,
  CoverageFactorOptions,
  CoverageFactorResult,
  DegreesOfFreedomMode,
} from './student-t.js';
export {
  DEFAULT_COVERAGE_PROBABILITY,
  NORMAL_APPROXIMATION_DOF,
  coverageFactor,
  coverageFactorDetails,
  degreesOfFreedomForCoverage,
  studentTQuantile,
} from './student-t.js';

export type { RoundedUncertainty, RoundedValue, UncertaintyRoundingOptions } from './reporting.js';
export { roundExpandedUncertainty, roundResultToUncertainty, roundToDecimalPlaces } from './reporting.js';

export type {
  BudgetContribution,
  BudgetEvaluation,
  BudgetInput,
  CoverageFactorFallback,
  CoverageFactorFallbackKind,
} from './evaluate.js';
export { COVERAGE_FACTOR_FALLBACKS, MAX_COVERAGE_FACTOR, evaluateBudget } from './evaluate.js';

export type {
  DecisionInput,
  DecisionOutcome,
  DecisionResult,
  DecisionRule,
  Interval,
  ToleranceLimits,
} from './decision.js';
export { DECISION_RELATIVE_TOLERANCE, decideConformity, overallOutcome } from './decision.js';
