import { convertDifference, convertValue, sameDimension, UnprocessableError } from '#libs/core';
import type { UncertaintyComponentInput } from '#libs/uncertainty';
import { numberToDecimal } from '../common/decimal-text.js';
import type { BudgetTermDto } from './budget-term.dto.js';

/** A budget row as stored in a template or a result (plain JSON, decimal strings). */
export type BudgetTermSpec = BudgetTermDto;

/** A value a standard's calibration certificate states, with its U and k (decimal strings). */
export interface CertificateValue {
  nominal: string;
  unit: string;
  expandedUncertainty: string;
  coverageFactor: string;
}

/** What the budget needs to know of a standard used on the measurement date. */
export interface StandardForBudget {
  id: string;
  code: string;
  unit: string;
  /** The calibration certificate in force on the measurement date. */
  certificate: { id: string; certificateNumber: string; values: CertificateValue[] } | null;
  /** The standard's own stated U and k (registry), used when the certificate states no value in the point's unit. */
  statedUncertainty: { expandedUncertainty: string; coverageFactor: string } | null;
}

export interface TermContext {
  /** The instrument's resolution (registry), decimal string. */
  instrumentResolution: string | null;
  /** Standards used, in the order given; the first is the default reference standard. */
  standards: StandardForBudget[];
}

export interface PointForBudget {
  nominal: string;
  unit: string;
  readings: string[];
}

/** Where a resolved row's value came from: kept with the result, so the record shows its inputs. */
export type TermSource =
  | { kind: 'readings'; observations: number }
  | {
      kind: 'standard_certificate';
      standardId: string;
      standardCode: string;
      certificateId: string;
      certificateNumber: string;
      /** The certificate states U at exactly this nominal. */
      statedAtNominal: string;
    }
  | {
      kind: 'standard_certificate_interpolated';
      standardId: string;
      standardCode: string;
      certificateId: string;
      certificateNumber: string;
      /** U linearly interpolated at the point's nominal between these two calibrated points. */
      interpolatedBetween: [CalibratedPointUsed, CalibratedPointUsed];
    }
  | { kind: 'standard_stated'; standardId: string; standardCode: string }
  | { kind: 'instrument_resolution' }
  | { kind: 'given' };

/** A budget row resolved to the maths library's input, its numbers as decimal strings. */
export interface ResolvedTerm {
  name: string;
  termKind: BudgetTermSpec['kind'];
  /** The maths input, in text: every number as the decimal string it was given as. */
  input: Record<string, unknown> & { kind: UncertaintyComponentInput['kind']; name: string };
  source: TermSource;
}

function refuse(field: string, message: string): never {
  throw new UnprocessableError('result.budget_incomplete', `The uncertainty budget cannot be built: ${message}`, {
    errors: [{ field, message }],
  });
}

/**
 * A certificate value in the point's unit: converted where the dimensions agree (a mass standard
 * calibrated in g used at a point in kg), the nominal as a value (°C offsets apply) and U as a
 * difference; null where they do not (a value of another quantity).
 */
export function inPointUnit(v: CertificateValue, pointUnit: string): CertificateValue | null {
  if (v.unit === pointUnit) return v;
  if (!sameDimension(v.unit, pointUnit)) return null;
  return {
    nominal: numberToDecimal(convertValue(Number(v.nominal), v.unit, pointUnit)),
    unit: pointUnit,
    expandedUncertainty: numberToDecimal(convertDifference(Number(v.expandedUncertainty), v.unit, pointUnit)),
    coverageFactor: v.coverageFactor,
  };
}

/** A calibrated point of a standard used for the U at a measurement point. */
export interface CalibratedPointUsed {
  nominal: string;
  expandedUncertainty: string;
  coverageFactor: string;
}

/** A standard's U and k at a measurement point, from its certificate's calibrated points. */
export type CertificateUncertaintyAt =
  | { kind: 'exact'; expandedUncertainty: string; coverageFactor: string; point: CalibratedPointUsed }
  | {
      kind: 'interpolated';
      expandedUncertainty: string;
      coverageFactor: string;
      between: [CalibratedPointUsed, CalibratedPointUsed];
    }
  /** The certificate has values in the unit, but the point lies outside them. */
  | { kind: 'outside'; range: { min: string; max: string } }
  /** Nothing in the point's unit. */
  | { kind: 'none' };

/** Far beyond any certificate's digits, far above binary noise of the interpolation. */
const INTERPOLATED_SIGNIFICANT_DIGITS = 10;
const decimalText = (x: number): string => numberToDecimal(Number(x.toPrecision(INTERPOLATED_SIGNIFICANT_DIGITS)));
const used = (v: CertificateValue): CalibratedPointUsed => ({
  nominal: v.nominal,
  expandedUncertainty: v.expandedUncertainty,
  coverageFactor: v.coverageFactor,
});

/**
 * A standard's U at the point's nominal: the stated value where the certificate has that nominal, else
 * linear interpolation between the two calibrated points around it; never extrapolated, never the
 * nearest value (issue 9, item 6).
 */
export function certificateUncertaintyAt(
  values: CertificateValue[],
  nominal: string,
  unit: string,
): CertificateUncertaintyAt {
  const x = Number(nominal);
  const inUnit = values
    .flatMap((v) => inPointUnit(v, unit) ?? [])
    .sort((a, b) => Number(a.nominal) - Number(b.nominal));
  if (inUnit.length === 0) return { kind: 'none' };
  const exact = inUnit.find((v) => Number(v.nominal) === x);
  if (exact) {
    return {
      kind: 'exact',
      expandedUncertainty: exact.expandedUncertainty,
      coverageFactor: exact.coverageFactor,
      point: used(exact),
    };
  }
  const upperIndex = inUnit.findIndex((v) => Number(v.nominal) > x);
  const lower = upperIndex > 0 ? inUnit[upperIndex - 1] : undefined;
  const upper = upperIndex > 0 ? inUnit[upperIndex] : undefined;
  if (!lower || !upper) {
    return { kind: 'outside', range: { min: inUnit[0]!.nominal, max: inUnit[inUnit.length - 1]!.nominal } };
  }
  const t = (x - Number(lower.nominal)) / (Number(upper.nominal) - Number(lower.nominal));
  const between: [CalibratedPointUsed, CalibratedPointUsed] = [used(lower), used(upper)];
  const [k0, k1] = [Number(lower.coverageFactor), Number(upper.coverageFactor)];
  if (k0 === k1) {
    const [U0, U1] = [Number(lower.expandedUncertainty), Number(upper.expandedUncertainty)];
    return {
      kind: 'interpolated',
      expandedUncertainty: decimalText(U0 + (U1 - U0) * t),
      coverageFactor: lower.coverageFactor,
      between,
    };
  }
  // Different k: interpolate the standard uncertainties u = U/k (what the budget uses) and state U = k·u
  // with the larger k, so u is exactly the interpolated one and k is not understated.
  const [u0, u1] = [Number(lower.expandedUncertainty) / k0, Number(upper.expandedUncertainty) / k1];
  const k = k0 > k1 ? lower.coverageFactor : upper.coverageFactor;
  return {
    kind: 'interpolated',
    expandedUncertainty: decimalText((u0 + (u1 - u0) * t) * Number(k)),
    coverageFactor: k,
    between,
  };
}

/**
 * Turns one stored budget row into the maths library's input at one point. Pure: everything it needs
 * (the point, the standards' certificates, the instrument's resolution) is passed in. Refuses with a
 * 422 naming `path` when the record lacks a value the row needs.
 */
export function resolveTerm(spec: BudgetTermSpec, point: PointForBudget, ctx: TermContext, path: string): ResolvedTerm {
  const common = {
    name: spec.name,
    ...(spec.sensitivityCoefficient === undefined ? {} : { sensitivityCoefficient: spec.sensitivityCoefficient }),
    ...(spec.unit === undefined ? {} : { unit: spec.unit }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
  const dof =
    'degreesOfFreedom' in spec && spec.degreesOfFreedom !== undefined
      ? { degreesOfFreedom: spec.degreesOfFreedom }
      : {};
  const given: TermSource = { kind: 'given' };
  switch (spec.kind) {
    case 'type_a_readings':
      return {
        name: spec.name,
        termKind: spec.kind,
        input: { ...common, kind: 'type_a_readings', readings: point.readings },
        source: { kind: 'readings', observations: point.readings.length },
      };
    case 'reference_standard':
      return resolveReferenceStandard(spec, point, ctx, path, { ...common, ...dof });
    case 'type_b_resolution': {
      const resolution = spec.resolution ?? ctx.instrumentResolution;
      if (resolution === null || resolution === undefined) {
        refuse(`${path}.resolution`, `${path}: the instrument has no resolution in the registry; give resolution`);
      }
      return {
        name: spec.name,
        termKind: spec.kind,
        input: { ...common, ...dof, kind: 'type_b_resolution', resolution },
        source: spec.resolution === undefined ? { kind: 'instrument_resolution' } : given,
      };
    }
    case 'type_b_limits':
      return {
        name: spec.name,
        termKind: spec.kind,
        input: {
          ...common,
          ...dof,
          kind: 'type_b_limits',
          halfWidth: spec.halfWidth,
          distribution: spec.distribution,
          ...(spec.coverageFactor === undefined ? {} : { coverageFactor: spec.coverageFactor }),
        },
        source: given,
      };
    case 'type_b_expanded':
      return {
        name: spec.name,
        termKind: spec.kind,
        input: {
          ...common,
          ...dof,
          kind: 'type_b_expanded',
          expandedUncertainty: spec.expandedUncertainty,
          coverageFactor: spec.coverageFactor,
        },
        source: given,
      };
    case 'type_b_standard':
      return {
        name: spec.name,
        termKind: spec.kind,
        input: { ...common, ...dof, kind: 'type_b_standard', standardUncertainty: spec.standardUncertainty },
        source: given,
      };
    case 'type_a':
      return {
        name: spec.name,
        termKind: spec.kind,
        input: {
          ...common,
          kind: 'type_a',
          standardUncertainty: spec.standardUncertainty,
          degreesOfFreedom: spec.degreesOfFreedom,
        },
        source: given,
      };
  }
}

/** A reference standard's row: its certificate at the point (exact or interpolated), else its stated uncertainty. */
function resolveReferenceStandard(
  spec: Extract<BudgetTermSpec, { kind: 'reference_standard' }>,
  point: PointForBudget,
  ctx: TermContext,
  path: string,
  shared: {
    name: string;
    sensitivityCoefficient?: string;
    unit?: string;
    description?: string;
    degreesOfFreedom?: string;
  },
): ResolvedTerm {
  const standard = spec.standardId ? ctx.standards.find((s) => s.id === spec.standardId) : ctx.standards[0];
  if (!standard) {
    refuse(
      `${path}.standardId`,
      spec.standardId
        ? `${path} refers to standard ${spec.standardId}, which is not among the standards used`
        : `${path} needs a reference standard, and no standard is used`,
    );
  }
  const certificate = standard.certificate;
  const at = certificate
    ? certificateUncertaintyAt(certificate.values, point.nominal, point.unit)
    : ({ kind: 'none' } as const);
  if (at.kind === 'outside') {
    throw new UnprocessableError(
      'result.standard_outside_calibrated_range',
      `Standard ${standard.code} is calibrated from ${at.range.min} to ${at.range.max} ${point.unit}; ` +
        `its uncertainty at ${point.nominal} ${point.unit} is not known (it is interpolated, never extrapolated)`,
      {
        errors: [
          {
            field: path,
            message:
              `${path}: ${point.nominal} ${point.unit} lies outside the calibrated points of standard ` +
              `${standard.code} (${at.range.min} to ${at.range.max} ${point.unit})`,
          },
        ],
      },
    );
  }
  if (certificate && (at.kind === 'exact' || at.kind === 'interpolated')) {
    const of = {
      standardId: standard.id,
      standardCode: standard.code,
      certificateId: certificate.id,
      certificateNumber: certificate.certificateNumber,
    };
    return {
      name: spec.name,
      termKind: spec.kind,
      input: {
        ...shared,
        kind: 'type_b_expanded',
        expandedUncertainty: at.expandedUncertainty,
        coverageFactor: at.coverageFactor,
      },
      source:
        at.kind === 'exact'
          ? { kind: 'standard_certificate', ...of, statedAtNominal: at.point.nominal }
          : { kind: 'standard_certificate_interpolated', ...of, interpolatedBetween: at.between },
    };
  }
  if (standard.statedUncertainty && standard.unit === point.unit) {
    return {
      name: spec.name,
      termKind: spec.kind,
      input: { ...shared, kind: 'type_b_expanded', ...standard.statedUncertainty },
      source: { kind: 'standard_stated', standardId: standard.id, standardCode: standard.code },
    };
  }
  return refuse(
    path,
    `standard ${standard.code} has no certificate value in ${point.unit} nor a stated uncertainty in that unit; give the row as type_b_expanded`,
  );
}

const NUMERIC_FIELDS = [
  'sensitivityCoefficient',
  'degreesOfFreedom',
  'expandedUncertainty',
  'coverageFactor',
  'halfWidth',
  'resolution',
  'standardUncertainty',
] as const;

/** The stored text input as the maths library's numbers. */
export function toComponentInput(term: ResolvedTerm): UncertaintyComponentInput {
  const out: Record<string, unknown> = { ...term.input };
  for (const f of NUMERIC_FIELDS) if (typeof out[f] === 'string') out[f] = Number(out[f]);
  if (Array.isArray(out.readings)) out.readings = (out.readings as string[]).map(Number);
  return out as unknown as UncertaintyComponentInput;
}
