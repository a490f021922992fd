import type { StandardStatus } from './standard.entity.js';

/** Why a standard may not be used on a date. */
export const UNUSABLE_REASONS = [
  'out_of_service',
  'no_calibration',
  'calibration_overdue',
  'failed_intermediate_check',
] as const;
export type UnusableReason = (typeof UNUSABLE_REASONS)[number];

export interface CalibrationFacts {
  calibrationDate: string;
  dueDate: string;
}

export interface CheckFacts {
  checkDate: string;
  passed: boolean;
}

export interface StandardStatusFacts<C extends CalibrationFacts, K extends CheckFacts> {
  status: StandardStatus;
  /** In the order they were recorded; ties on a date go to the later one. */
  calibrations: C[];
  checks: K[];
}

export interface StandardStatusOn<C, K> {
  usable: boolean;
  reasons: UnusableReason[];
  /** The calibration in force on the date: the latest made on or before it. */
  calibration: C | null;
  /** The latest intermediate check on or before the date. */
  lastCheck: K | null;
}

function latestOnOrBefore<T>(items: T[], date: string, dateOf: (t: T) => string): T | null {
  let found: T | null = null;
  for (const t of items) {
    const d = dateOf(t);
    if (d <= date && (found === null || d >= dateOf(found))) found = t;
  }
  return found;
}

/**
 * Whether a standard may be used on `date` (ISO/IEC 17025 6.4): in service, calibrated on or before
 * the date and not past its due date (the due date itself is still valid), and its latest
 * intermediate check before the date did not fail — unless it was recalibrated after that check
 * (a calibration on the same day as the failed check does not clear it: the order is unknown).
 * The status (in/out of service) has no history: it is today's, whatever the date asked.
 */
export function standardStatusOn<C extends CalibrationFacts, K extends CheckFacts>(
  facts: StandardStatusFacts<C, K>,
  date: string,
): StandardStatusOn<C, K> {
  const reasons: UnusableReason[] = [];
  if (facts.status !== 'in_service') reasons.push('out_of_service');
  const calibration = latestOnOrBefore(facts.calibrations, date, (c) => c.calibrationDate);
  if (!calibration) reasons.push('no_calibration');
  else if (calibration.dueDate < date) reasons.push('calibration_overdue');
  const lastCheck = latestOnOrBefore(facts.checks, date, (k) => k.checkDate);
  if (lastCheck && !lastCheck.passed && !(calibration && calibration.calibrationDate > lastCheck.checkDate)) {
    reasons.push('failed_intermediate_check');
  }
  return { usable: reasons.length === 0, reasons, calibration, lastCheck };
}
