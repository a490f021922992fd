import type { FieldError } from '#libs/core';
import {
  isVerification,
  type InstrumentType,
  type InstrumentTypeCycle,
  type ServiceKind,
} from './instrument-type.entity.js';
import { isUsableMpeRule, ruleForService, type InstrumentTypeMpeRule } from './mpe-rule.entity.js';

/** Why a service cannot be done (`missing`), or rests on unconfirmed seed data (`warning`). */
export const READINESS_REASONS = [
  'service_not_offered',
  'type_inactive',
  'no_procedure',
  'no_cycle',
  'cycle_without_months',
  'cycle_uncertain',
  'no_mpe_rule',
  'mpe_rule_unconfirmed',
  'type_uncertain',
] as const;
export type ReadinessReasonCode = (typeof READINESS_REASONS)[number];

/** One reason, with the values its sentence names (so that a screen can say it in its own language). */
export interface ReadinessReason {
  code: ReadinessReasonCode;
  kind: 'missing' | 'warning';
  /** no_cycle: the date asked about. */
  date?: string;
  /** cycle_without_months, cycle_uncertain: the cycle in force. */
  effectiveFrom?: string;
  cycleMonths?: number;
  /** mpe_rule_unconfirmed: the rule's confidence grade. */
  confidence?: string;
}

export interface ServiceReadiness {
  service: ServiceKind;
  ready: boolean;
  /** What stops the service, in words a reception desk can act on (English; `reasons` has the codes). */
  missing: string[];
  /** Usable, but resting on seed data nobody has confirmed. */
  warnings: string[];
  /** The same as codes and values, missing ones first. */
  reasons: ReadinessReason[];
}

/** A reason in English, as `missing` and `warnings` (and the API's 422s) state it. */
export function readinessSentence(r: ReadinessReason, service: ServiceKind): string {
  switch (r.code) {
    case 'service_not_offered':
      return `the type does not offer ${service}`;
    case 'type_inactive':
      return 'the type is no longer on the list (inactive)';
    case 'no_procedure':
      return 'no procedure (quy trình, e.g. ĐLVN) is registered';
    case 'no_cycle':
      return `no verification cycle is in force on ${r.date}`;
    case 'cycle_without_months':
      return `the cycle in force since ${r.effectiveFrom} has no months (no periodic verification): no validity can be stated`;
    case 'cycle_uncertain':
      return `the cycle in force (${r.cycleMonths} months) is uncertain seed data`;
    case 'no_mpe_rule':
      return `no MPE rule for ${service}`;
    case 'mpe_rule_unconfirmed':
      return `the MPE rule for ${service} is ${r.confidence} and has not been confirmed by an admin`;
    case 'type_uncertain':
      return 'the type’s procedure or cycle is marked uncertain in the seed data';
  }
}

type Rule = Pick<InstrumentTypeMpeRule, 'services' | 'confidence' | 'confirmedAt'>;

/**
 * What stops a service, as a 422's field errors on `field`: each reason with its English sentence
 * after `prefix`, its rule as `constraint` (`readiness.no_cycle`) and the values it names, so that a
 * client can say it in its own language.
 */
export function readinessFieldErrors(field: string, prefix: string, readiness: ServiceReadiness): FieldError[] {
  return readiness.reasons
    .filter((r) => r.kind === 'missing')
    .map((r) => {
      const values: Record<string, string> = { service: readiness.service };
      for (const key of ['date', 'effectiveFrom', 'cycleMonths', 'confidence'] as const)
        if (r[key] !== undefined) values[key] = String(r[key]);
      return {
        field,
        message: `${prefix}${readinessSentence(r, readiness.service)}`,
        constraint: `readiness.${r.code}`,
        values,
      };
    });
}

/** The cycle in force on `date`: the latest effective_from on or before it (cycles sorted oldest first). */
export function cycleOn<C extends Pick<InstrumentTypeCycle, 'effectiveFrom'>>(
  cycles: readonly C[],
  date: string,
): C | null {
  let found: C | null = null;
  for (const c of cycles) if (c.effectiveFrom <= date) found = c;
  return found;
}

/**
 * Whether the centre can do a service for instruments of a type on a date, and if not, why. A
 * verification needs a procedure, a verification cycle in force (its certificate states a validity)
 * and a usable MPE rule for that verification kind; a calibration needs a procedure (an MPE only when
 * conformity is requested, checked with the result).
 */
export function serviceReadiness(
  type: Pick<InstrumentType, 'services' | 'procedures' | 'active' | 'dataQuality'>,
  cycles: readonly Pick<InstrumentTypeCycle, 'effectiveFrom' | 'cycleMonths' | 'dataQuality'>[],
  rules: readonly Rule[],
  service: ServiceKind,
  date: string,
): ServiceReadiness {
  const reasons: ReadinessReason[] = [];
  const missing = (code: ReadinessReasonCode, values: Partial<ReadinessReason> = {}) =>
    reasons.push({ code, kind: 'missing', ...values });
  const warning = (code: ReadinessReasonCode, values: Partial<ReadinessReason> = {}) =>
    reasons.push({ code, kind: 'warning', ...values });
  if (!type.services.includes(service)) missing('service_not_offered');
  if (!type.active) missing('type_inactive');
  if (service !== 'testing' && type.procedures.length === 0) missing('no_procedure');
  if (isVerification(service)) {
    const cycle = cycleOn(cycles, date);
    if (!cycle) missing('no_cycle', { date });
    else if (cycle.cycleMonths === null) missing('cycle_without_months', { effectiveFrom: cycle.effectiveFrom });
    else if (cycle.dataQuality === 'uncertain') warning('cycle_uncertain', { cycleMonths: cycle.cycleMonths });
    const rule = ruleForService(rules, service);
    if (!rule) missing('no_mpe_rule');
    else if (!isUsableMpeRule(rule)) missing('mpe_rule_unconfirmed', { confidence: rule.confidence });
    if (type.dataQuality === 'uncertain') warning('type_uncertain');
  }
  reasons.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'missing' ? -1 : 1));
  const sentences = (kind: ReadinessReason['kind']) =>
    reasons.filter((r) => r.kind === kind).map((r) => readinessSentence(r, service));
  const blocking = sentences('missing');
  return { service, ready: blocking.length === 0, missing: blocking, warnings: sentences('warning'), reasons };
}

/** Readiness of every service the type offers. */
export function typeReadiness(
  type: Pick<InstrumentType, 'services' | 'procedures' | 'active' | 'dataQuality'>,
  cycles: readonly Pick<InstrumentTypeCycle, 'effectiveFrom' | 'cycleMonths' | 'dataQuality'>[],
  rules: readonly Rule[],
  date: string,
): { readyForVerification: boolean; readiness: ServiceReadiness[] } {
  const readiness = type.services.map((s) => serviceReadiness(type, cycles, rules, s, date));
  const verifications = readiness.filter((r) => isVerification(r.service));
  return { readyForVerification: verifications.length > 0 && verifications.every((r) => r.ready), readiness };
}
