import {
  isVerification,
  type InstrumentType,
  type InstrumentTypeCycle,
  type ServiceKind,
} from './instrument-type.entity.js';
import { isUsableMpeRule, ruleForService, type InstrumentTypeMpeRule } from './mpe-rule.entity.js';

export interface ServiceReadiness {
  service: ServiceKind;
  ready: boolean;
  /** What stops the service, in words a reception desk can act on. */
  missing: string[];
  /** Usable, but resting on seed data nobody has confirmed. */
  warnings: string[];
}

type Rule = Pick<InstrumentTypeMpeRule, 'services' | 'confidence' | 'confirmedAt'>;

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
  const missing: string[] = [];
  const warnings: string[] = [];
  if (!type.services.includes(service)) missing.push(`the type does not offer ${service}`);
  if (!type.active) missing.push('the type is no longer on the list (inactive)');
  if (service !== 'testing' && type.procedures.length === 0)
    missing.push('no procedure (quy trình, e.g. ĐLVN) is registered');
  if (isVerification(service)) {
    const cycle = cycleOn(cycles, date);
    if (!cycle) missing.push(`no verification cycle is in force on ${date}`);
    else if (cycle.cycleMonths === null)
      missing.push(
        `the cycle in force since ${cycle.effectiveFrom} has no months (no periodic verification): no validity can be stated`,
      );
    else if (cycle.dataQuality === 'uncertain')
      warnings.push(`the cycle in force (${cycle.cycleMonths} months) is uncertain seed data`);
    const rule = ruleForService(rules, service);
    if (!rule) missing.push(`no MPE rule for ${service}`);
    else if (!isUsableMpeRule(rule))
      missing.push(`the MPE rule for ${service} is ${rule.confidence} and has not been confirmed by an admin`);
    if (type.dataQuality === 'uncertain')
      warnings.push('the type’s procedure or cycle is marked uncertain in the seed data');
  }
  return { service, ready: missing.length === 0, missing, warnings };
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
