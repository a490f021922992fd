/**
 * The glue between a recorded measurement point and the maths: error, MPE at the point, the decision
 * rule that applies, the budget evaluation and the decision. Pure (no I/O), unit-tested beside it.
 */
import { UnprocessableError } from '#libs/core';
import {
  MpeRuleError,
  isVerification,
  mpeAt,
  type FlowPoint,
  type MpeInputField,
  type MpeRule,
  type ServiceKind,
} from '#libs/registry';
import {
  decideConformity,
  evaluateBudget,
  overallOutcome,
  type BudgetEvaluation,
  type CoverageFactorFallbackKind,
  type DecisionOutcome,
  type DecisionResult,
  type DecisionRule,
} from '#libs/uncertainty';
import { toComponentInput, type ResolvedTerm } from '../budget/budget-terms.js';
import { meanOfDecimals, subtractDecimals, sumDecimals } from '../common/decimal-text.js';
import { withUncertaintyErrors } from '../uncertainty-api/budget-view.js';

/** As found (before adjustment) / as left (after). A result without adjustment has one series, as_found. */
export const SERIES = ['as_found', 'as_left'] as const;
export type Series = (typeof SERIES)[number];

export const DECISION_RULE_KINDS = ['simple', 'guarded'] as const;
export type DecisionRuleKind = (typeof DECISION_RULE_KINDS)[number];

/** quy tắc quyết định as stored: guarded acceptance with w = r·U (r default 1), ILAC-G8:09/2019. */
export interface DecisionRuleSpec {
  kind: DecisionRuleKind;
  /** Decimal string r; only for guarded. */
  guardBandFactor?: string | null;
}

export interface Correction {
  name: string;
  /** Decimal string, in the point's unit, added to the indication. */
  value: string;
}

export interface MeasuredPoint {
  nominal: string;
  unit: string;
  referenceValue: string;
  readings: string[];
  corrections: Correction[];
}

export interface PointError {
  /** Mean of the readings (the indication). */
  indicatedMean: string;
  correctionTotal: string;
  /** sai số: indicated mean + corrections − reference value, exact in decimal. */
  error: string;
}

/** error = mean(readings) + Σ corrections − reference, computed exactly on the decimal strings. */
export function pointError(point: MeasuredPoint): PointError {
  const indicatedMean = meanOfDecimals(point.readings);
  const correctionTotal = sumDecimals(['0', ...point.corrections.map((c) => c.value)]);
  const error = subtractDecimals(sumDecimals([indicatedMean, correctionTotal]), point.referenceValue);
  return { indicatedMean, correctionTotal, error };
}

export interface InstrumentForMpe {
  accuracyClass: string | null;
  rangeMin: string | null;
  rangeMax: string | null;
  rangeUnit: string | null;
  scaleInterval?: string | null;
  resolutionUnit?: string | null;
}

/** What a point adds to its reading for an MPE that depends on more than the reading. */
export interface PointConditions {
  /** The quantity a composite rule checks at this point (e.g. "distance", "volume"). */
  quantity?: string;
  /** Water meters: the flow point (Q1 … Q4). */
  flowPoint?: FlowPoint;
  /** Water meters: water temperature, °C (decimal string). */
  waterTemperature?: string;
}

/** The rule a point is judged by: the type's rule for the service, with its multiplier. */
export interface ApplicableMpeRule {
  rule: MpeRule;
  /** Decimal string (e.g. "2": in-service = 2 × initial). */
  multiplier: string;
}

/** Far beyond any stated MPE's digits, far above binary noise. */
const MPE_SIGNIFICANT_DIGITS = 12;

/** Which request field an MPE problem is about. */
const MPE_FIELDS: Record<MpeInputField, (point: string) => string> = {
  'instrument.accuracyClass': () => 'instrument.accuracyClass',
  'instrument.range': () => 'instrument.rangeMax',
  'instrument.rangeUnit': () => 'instrument.rangeUnit',
  'instrument.scaleInterval': () => 'instrument.scaleInterval',
  'point.unit': (p) => `${p}.unit`,
  'point.load': (p) => `${p}.referenceValue`,
  'point.quantity': (p) => `${p}.quantity`,
  'point.flowPoint': (p) => `${p}.flowPoint`,
  rule: (p) => p,
};

export type MpeAtPoint =
  | { mpe: number; problem?: undefined; field?: undefined }
  | { mpe: null; problem: string; field: (point: string) => string; unitMismatch?: boolean };

/**
 * sai số lớn nhất cho phép at a point, from the type's MPE rule for the service and the instrument's
 * class, range (with its unit) and e. "Reading" is the indication at the point (the mean of the
 * readings); the load of a scale is the reference value. The result is in the point's unit.
 * Never throws for what is missing: it is returned as `problem`, for the caller to refuse only when a
 * decision needs it.
 */
export function mpeForPoint(
  applicable: ApplicableMpeRule | null,
  instrument: InstrumentForMpe,
  point: { reading: string; load?: string; unit: string; conditions?: PointConditions },
): MpeAtPoint {
  if (!applicable)
    return { mpe: null, problem: 'the instrument type has no MPE rule for this service', field: (p) => p };
  const num = (v: string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
  try {
    const mpe = mpeAt(applicable.rule, {
      reading: Number(point.reading),
      load: point.load === undefined ? undefined : Number(point.load),
      unit: point.unit,
      quantity: point.conditions?.quantity ?? null,
      flowPoint: point.conditions?.flowPoint ?? null,
      waterTemperature: num(point.conditions?.waterTemperature),
      instrument: {
        accuracyClass: instrument.accuracyClass,
        rangeMin: num(instrument.rangeMin),
        rangeMax: num(instrument.rangeMax),
        rangeUnit: instrument.rangeUnit,
        scaleInterval: num(instrument.scaleInterval),
        scaleIntervalUnit: instrument.resolutionUnit ?? instrument.rangeUnit,
      },
    });
    // A limit from regulatory constants: 1.6 % of 1.6 MPa is 0.0256, not the double 0.025600000000000005.
    return { mpe: Number((mpe * Number(applicable.multiplier)).toPrecision(MPE_SIGNIFICANT_DIGITS)) };
  } catch (e) {
    if (e instanceof MpeRuleError)
      return { mpe: null, problem: e.message, field: MPE_FIELDS[e.input], unitMismatch: e.code === 'unit_mismatch' };
    throw e;
  }
}

export type DecisionRuleSource = 'procedure' | 'request';

/**
 * Which decision rule applies, if any. Verification (kiểm định) always decides, with the procedure's
 * rule (simple acceptance unless the template says otherwise); calibration decides only when the
 * customer asked for a statement of conformity, with the rule agreed in the request. Testing is not
 * handled by this library.
 */
export function decisionRuleFor(
  service: ServiceKind,
  conformity: { requested: boolean; rule: DecisionRuleSpec | null },
  procedureRule: DecisionRuleSpec | null,
): { rule: DecisionRuleSpec; source: DecisionRuleSource } | null {
  if (isVerification(service)) return { rule: procedureRule ?? { kind: 'simple' }, source: 'procedure' };
  if (service === 'calibration') {
    if (!conformity.requested) return null;
    if (!conformity.rule) {
      throw new UnprocessableError(
        'result.decision_rule_required',
        'A statement of conformity was requested: the decision rule (simple or guarded) must be named',
        { errors: [{ field: 'conformity.decisionRule', message: 'conformity.decisionRule is required' }] },
      );
    }
    return { rule: conformity.rule, source: 'request' };
  }
  throw new UnprocessableError(
    'result.service_not_supported',
    `Results for ${service} are not recorded by the calibration library`,
    { errors: [{ field: 'service', message: `${service} is not supported here (testing has its own reports)` }] },
  );
}

export function toDecisionRule(spec: DecisionRuleSpec): DecisionRule {
  return spec.kind === 'simple'
    ? { kind: 'simple' }
    : {
        kind: 'guarded',
        ...(spec.guardBandFactor === null || spec.guardBandFactor === undefined
          ? {}
          : { guardBandFactor: Number(spec.guardBandFactor) }),
      };
}

export interface PointComputation extends PointError {
  evaluation: BudgetEvaluation;
  mpe: number | null;
  decision: DecisionResult | null;
  /** U / MPE (unrounded U): how much of the tolerance the measurement's own doubt takes; null without an MPE. */
  capabilityRatio: number | null;
}

export interface PointPaths {
  /** e.g. `points[2]` */
  point: string;
  /** Request path of each budget row, e.g. `points[2].budget[1]` or `template.components[1]`. */
  terms: string[];
}

/**
 * Error, budget, U and decision at one point. The decision compares the unrounded error with ±MPE,
 * using the unrounded U for a guard band; the rounded values are for the certificate.
 */
export function computePoint(
  point: MeasuredPoint,
  terms: ResolvedTerm[],
  options: {
    coverageProbability: number;
    rule: DecisionRuleSpec | null;
    mpe: MpeAtPoint;
    /** Verification (kiểm định) is pass or fail: a guarded rule's conditional zones count as fail. */
    binary?: boolean;
    coverageFactorFallback?: CoverageFactorFallbackKind;
  },
  paths: PointPaths,
): PointComputation {
  const err = pointError(point);
  const evaluation = withUncertaintyErrors(
    () =>
      evaluateBudget({
        components: terms.map(toComponentInput),
        coverageProbability: options.coverageProbability,
        ...(options.coverageFactorFallback === undefined
          ? {}
          : { coverageFactorFallback: options.coverageFactorFallback }),
        result: Number(err.error),
      }),
    (field) => {
      const m = /^components\[(\d+)\](.*)$/.exec(field);
      if (!m) return field === 'components' ? `${paths.point}.budget` : `${paths.point}.${field}`;
      const i = Number(m[1]);
      // Type A rows take their readings from the point: name the readings, not the row.
      if (m[2]?.startsWith('.readings')) return `${paths.point}${m[2]}`;
      return `${paths.terms[i] ?? `${paths.point}.budget[${i}]`}${m[2] ?? ''}`;
    },
  );
  let decision: DecisionResult | null = null;
  if (options.rule) {
    if (options.mpe.mpe === null) {
      const field = options.mpe.field(paths.point);
      if (options.mpe.unitMismatch) {
        throw new UnprocessableError('result.unit_mismatch', `${field}: ${options.mpe.problem}`, {
          errors: [{ field, message: options.mpe.problem }],
        });
      }
      throw new UnprocessableError(
        'result.mpe_unknown',
        `A decision is needed at ${paths.point}, but its MPE cannot be determined: ${options.mpe.problem}`,
        { errors: [{ field, message: `MPE unknown: ${options.mpe.problem}` }] },
      );
    }
    const mpe = options.mpe.mpe;
    const rule = options.rule;
    decision = withUncertaintyErrors(() =>
      decideConformity({
        measuredValue: Number(err.error),
        expandedUncertainty: evaluation.expandedUncertainty,
        limits: { kind: 'symmetric', maximumPermissibleError: mpe },
        rule: toDecisionRule(rule),
      }),
    );
    if (options.binary) decision = { ...decision, outcome: binaryOutcome(decision.outcome) };
  }
  const mpe = options.mpe.mpe;
  const capabilityRatio = mpe === null || mpe === 0 ? null : evaluation.expandedUncertainty / mpe;
  return { ...err, evaluation, mpe, decision, capabilityRatio };
}

/**
 * kiểm định is binary (DOMAIN.md): pass only on a clear pass. A result in a guard band (conditional
 * pass or fail under ILAC-G8) cannot be called a pass, so it is a fail.
 */
export function binaryOutcome(outcome: DecisionOutcome): 'pass' | 'fail' {
  return outcome === 'pass' ? 'pass' : 'fail';
}

/** Capability: U ≤ MPE / divisor (1/3 by default). */
export function isCapable(ratio: number | null, divisor: string): boolean {
  return ratio === null || ratio <= 1 / Number(divisor);
}

/** The series a certificate reports: as left when the instrument was adjusted, else as found. */
export function reportedSeries(adjusted: boolean): Series {
  return adjusted ? 'as_left' : 'as_found';
}

export interface ItemOutcome {
  /** Worst decision of the reported series; null when no decision was made. */
  overall: DecisionOutcome | null;
  /** Worst decision of the as-found series of an adjusted instrument (ILAC P14 7.4). */
  asFound: DecisionOutcome | null;
}

export function itemOutcome(
  points: { series: Series; decision: DecisionOutcome | null }[],
  adjusted: boolean,
): ItemOutcome {
  const of = (series: Series): DecisionOutcome | null => {
    const decisions = points.filter((p) => p.series === series).map((p) => p.decision);
    return decisions.length > 0 && decisions.every((d) => d !== null)
      ? overallOutcome(decisions as DecisionOutcome[])
      : null;
  };
  return { overall: of(reportedSeries(adjusted)), asFound: adjusted ? of('as_found') : null };
}

/**
 * What the instrument's service history records (InstrumentService.recordOutcome `passed`): a
 * verification passes only on a clear pass (a conditional pass is no stamp); a calibration states
 * pass/fail only when conformity was decided, and nothing for the conditional outcomes.
 */
export function passedForRegistry(service: ServiceKind, overall: DecisionOutcome | null): boolean | null {
  if (isVerification(service)) return overall === 'pass';
  if (overall === 'pass') return true;
  if (overall === 'fail') return false;
  return null;
}
