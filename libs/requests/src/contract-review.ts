/**
 * Contract review (xem xét yêu cầu, ISO/IEC 17025 7.1): can the centre do this item? Pure; the
 * service gathers the facts (the type, the standards and their status on the date, the authorised
 * technicians) and this decides.
 *
 * The matching rule for a measurement standard, for an item of type T and instrument I, on date D:
 * - it measures the same quantity: `standard.quantity` equals `T.measuredQuantity` (trimmed, case
 *   ignored — both are free text the admin keeps in step);
 * - its range covers the instrument's: when the instrument states a maximum and it is in the
 *   standard's unit (`I.rangeUnit`, or T's unit when the instrument gives none), the standard's
 *   maximum (if stated) is at least that. Ranges in other units are not compared: a fuel
 *   dispenser's flow range in L/min says nothing about the volume measure in L that verifies it;
 * - it is usable on D (`standardStatus`): in service, in calibration, no failed intermediate check.
 * D is the request's preferred date when that is still ahead, else today.
 * And at least one person must be authorised to perform T's service on D (`authorisedUsers`).
 */
export const CANNOT_DO_REASONS = [
  'service_not_offered',
  'type_inactive',
  'no_standard',
  'standard_range_insufficient',
  'no_usable_standard',
  'no_authorised_technician',
] as const;
export type CannotDoReason = (typeof CANNOT_DO_REASONS)[number];

/** Why the centre cannot do an item: a code, the values it names, and the same in an English sentence. */
export interface ReviewFinding {
  code: CannotDoReason;
  message: string;
  /** The type's code (type_inactive, service_not_offered, no_authorised_technician). */
  typeCode?: string;
  /** The service asked for (service_not_offered, no_authorised_technician). */
  service?: string;
  /** The quantity a standard must measure (no_standard, standard_range_insufficient, no_usable_standard). */
  quantity?: string;
  /** standard_range_insufficient: the instrument's maximum and its unit. */
  rangeMax?: string;
  unit?: string;
  /** The date reviewed (no_usable_standard, no_authorised_technician). */
  date?: string;
  /** no_usable_standard: the matching standards and why each is not usable (standardStatus's codes). */
  standards?: { code: string; reasons: string[] }[];
}

export interface StandardOnDate {
  id: string;
  code: string;
  quantity: string;
  unit: string;
  rangeMax: string | null;
  usable: boolean;
  /** Why it is not usable on the date (standardStatus's reasons). */
  reasons: readonly string[];
}

export interface ReviewSubject {
  type: { code: string; measuredQuantity: string; unit: string; services: readonly string[]; active: boolean };
  service: string;
  instrument: { rangeMax: string | null; rangeUnit: string | null };
}

export interface ReviewOutcome {
  doable: boolean;
  findings: ReviewFinding[];
  /** Standards that match and are usable on the date (codes). */
  standards: string[];
  /** How many people may perform it on the date. */
  technicians: number;
}

const norm = (s: string): string => s.trim().toLowerCase();

export function sameQuantity(a: string, b: string): boolean {
  return norm(a) === norm(b);
}

/** See the rule above: only a maximum in the standard's own unit is compared. */
export function rangeCovers(standard: Pick<StandardOnDate, 'unit' | 'rangeMax'>, subject: ReviewSubject): boolean {
  const max = subject.instrument.rangeMax;
  const unit = subject.instrument.rangeUnit ?? subject.type.unit;
  if (max === null || standard.rangeMax === null || norm(unit) !== norm(standard.unit)) return true;
  return Number(standard.rangeMax) >= Number(max);
}

export function reviewItem(
  subject: ReviewSubject,
  standards: readonly StandardOnDate[],
  technicians: readonly string[],
  date: string,
): ReviewOutcome {
  const findings: ReviewFinding[] = [];
  const { type } = subject;
  const typeCode = type.code;
  const service = subject.service;
  const quantity = type.measuredQuantity;
  if (!type.active)
    findings.push({
      code: 'type_inactive',
      typeCode,
      message: `instrument type ${typeCode} is no longer in the catalogue`,
    });
  if (!type.services.includes(service))
    findings.push({
      code: 'service_not_offered',
      typeCode,
      service,
      message: `instrument type ${typeCode} does not offer ${service}`,
    });
  const ofQuantity = standards.filter((s) => sameQuantity(s.quantity, quantity));
  const covering = ofQuantity.filter((s) => rangeCovers(s, subject));
  const usable = covering.filter((s) => s.usable);
  if (ofQuantity.length === 0)
    findings.push({ code: 'no_standard', quantity, message: `the centre has no measurement standard of ${quantity}` });
  else if (covering.length === 0) {
    const rangeMax = subject.instrument.rangeMax ?? undefined;
    const unit = subject.instrument.rangeUnit ?? type.unit;
    findings.push({
      code: 'standard_range_insufficient',
      quantity,
      rangeMax,
      unit,
      message: `no standard of ${quantity} reaches the instrument's maximum ${rangeMax} ${unit}`,
    });
  } else if (usable.length === 0) {
    const unusable = covering.map((s) => ({ code: s.code, reasons: [...s.reasons] }));
    findings.push({
      code: 'no_usable_standard',
      quantity,
      date,
      standards: unusable,
      message: `no standard of ${quantity} is usable on ${date}: ${unusable
        .map((s) => `${s.code} (${s.reasons.join(', ')})`)
        .join('; ')}`,
    });
  }
  if (technicians.length === 0)
    findings.push({
      code: 'no_authorised_technician',
      typeCode,
      service,
      date,
      message: `nobody is authorised to perform ${service} on ${typeCode} on ${date}`,
    });
  return {
    doable: findings.length === 0,
    findings,
    standards: usable.map((s) => s.code),
    technicians: technicians.length,
  };
}

/**
 * A test sample (subject `sample`): this library knows no product nor method, so it asks only that
 * someone is authorised to perform testing (on every type: an authorisation without instrument type)
 * on the date. What the testing library checks of parameters, methods and analysts comes on top.
 */
export function reviewSampleItem(technicians: readonly string[], date: string): ReviewOutcome {
  const findings: ReviewFinding[] =
    technicians.length === 0
      ? [
          {
            code: 'no_authorised_technician',
            service: 'testing',
            date,
            message: `nobody is authorised to perform testing on ${date}`,
          },
        ]
      : [];
  return { doable: findings.length === 0, findings, standards: [], technicians: technicians.length };
}

/** The review date: the preferred date while it is still ahead, else today. */
export function reviewDate(preferredDate: string | null, today: string): string {
  return preferredDate !== null && preferredDate > today ? preferredDate : today;
}
