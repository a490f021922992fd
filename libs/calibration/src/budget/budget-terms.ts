import { UnprocessableError } from '#libs/core';
import type { UncertaintyComponentInput } from '#libs/uncertainty';
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
      statedAtNominal: string;
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

/** The certificate value nearest the point's nominal in the point's unit (ties: the first stated). */
export function nearestCertificateValue(
  values: CertificateValue[],
  nominal: string,
  unit: string,
): CertificateValue | null {
  let best: CertificateValue | null = null;
  let distance = Infinity;
  for (const v of values) {
    if (v.unit !== unit) continue;
    const d = Math.abs(Number(v.nominal) - Number(nominal));
    if (d < distance) {
      best = v;
      distance = d;
    }
  }
  return best;
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
    case 'reference_standard': {
      const standard = spec.standardId ? ctx.standards.find((s) => s.id === spec.standardId) : ctx.standards[0];
      if (!standard) {
        refuse(
          `${path}.standardId`,
          spec.standardId
            ? `${path} refers to standard ${spec.standardId}, which is not among the standards used`
            : `${path} needs a reference standard, and no standard is used`,
        );
      }
      const value = standard.certificate
        ? nearestCertificateValue(standard.certificate.values, point.nominal, point.unit)
        : null;
      if (value && standard.certificate) {
        return {
          name: spec.name,
          termKind: spec.kind,
          input: {
            ...common,
            ...dof,
            kind: 'type_b_expanded',
            expandedUncertainty: value.expandedUncertainty,
            coverageFactor: value.coverageFactor,
          },
          source: {
            kind: 'standard_certificate',
            standardId: standard.id,
            standardCode: standard.code,
            certificateId: standard.certificate.id,
            certificateNumber: standard.certificate.certificateNumber,
            statedAtNominal: value.nominal,
          },
        };
      }
      if (standard.statedUncertainty && standard.unit === point.unit) {
        return {
          name: spec.name,
          termKind: spec.kind,
          input: { ...common, ...dof, kind: 'type_b_expanded', ...standard.statedUncertainty },
          source: { kind: 'standard_stated', standardId: standard.id, standardCode: standard.code },
        };
      }
      return refuse(
        path,
        `standard ${standard.code} has no certificate value in ${point.unit} nor a stated uncertainty in that unit; give the row as type_b_expanded`,
      );
    }
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
