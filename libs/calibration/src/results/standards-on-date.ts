import { Injectable } from '@nestjs/common';
import { NotFoundError, UnprocessableError, type FieldError } from '#libs/core';
import { MeasurementStandard, StandardService, type CalibrationSummary, type UnusableReason } from '#libs/registry';
import type { StandardForBudget } from '../budget/budget-terms.js';

export interface StandardOnDate {
  standard: MeasurementStandard;
  usable: boolean;
  reasons: UnusableReason[];
  /** The calibration certificate in force on the date. */
  calibration: CalibrationSummary | null;
  forBudget: StandardForBudget;
}

const REASON_TEXT: Record<UnusableReason, string> = {
  out_of_service: 'it is out of service',
  no_calibration: 'it has no calibration on or before that date',
  calibration_overdue: 'its calibration was overdue',
  failed_intermediate_check: 'its latest intermediate check failed',
};

export function describeUnusable(s: StandardOnDate, date: string): string {
  const why = s.reasons
    .map((r) =>
      r === 'calibration_overdue' && s.calibration
        ? `${REASON_TEXT[r]} (due ${s.calibration.dueDate})`
        : REASON_TEXT[r],
    )
    .join('; ');
  return `standard ${s.standard.code} (${s.standard.name}) may not be used on ${date}: ${why}`;
}

/** The standards a result uses, as they stood on the measurement date (registry status + certificate values). */
@Injectable()
export class StandardsOnDate {
  constructor(private readonly standards: StandardService) {}

  /** Unknown ids answer 422 naming `${field}[i]` (a reference in the body, not the resource addressed). */
  async load(ids: string[], date: string, field: string): Promise<StandardOnDate[]> {
    const out: StandardOnDate[] = [];
    const missing: FieldError[] = [];
    for (const [i, id] of ids.entries()) {
      try {
        const status = await this.standards.standardStatus(id, date);
        const standard = await this.standards.find(id);
        out.push({
          standard,
          usable: status.usable,
          reasons: status.reasons,
          calibration: status.calibration,
          forBudget: {
            id,
            code: standard.code,
            unit: standard.unit,
            certificate: null,
            statedUncertainty:
              standard.uncertainty !== null && standard.coverageFactor !== null
                ? { expandedUncertainty: standard.uncertainty, coverageFactor: standard.coverageFactor }
                : null,
          },
        });
      } catch (e) {
        if (e instanceof NotFoundError)
          missing.push({ field: `${field}[${i}]`, message: `no standard has the id ${id}` });
        else throw e;
      }
    }
    if (missing.length) {
      throw new UnprocessableError('result.standard_unknown', 'A standard named in the request does not exist', {
        errors: missing,
      });
    }
    const calibrationIds = out.flatMap((s) => (s.calibration ? [s.calibration.id] : []));
    const values = await this.standards.calibrationValues(calibrationIds);
    for (const s of out) {
      if (!s.calibration) continue;
      s.forBudget.certificate = {
        id: s.calibration.id,
        certificateNumber: s.calibration.certificateNumber,
        values: values
          .filter((v) => v.calibrationId === s.calibration!.id)
          .map((v) => ({
            nominal: v.nominal,
            unit: v.unit,
            expandedUncertainty: v.expandedUncertainty,
            coverageFactor: v.coverageFactor,
          })),
      };
    }
    return out;
  }

  /** Refuses (422) when any standard may not be used on the date, naming each one and why. */
  static assertUsable(standards: StandardOnDate[], date: string, field: string): void {
    const bad = standards.flatMap((s, i) => (s.usable ? [] : [{ s, i }]));
    if (bad.length === 0) return;
    throw new UnprocessableError('result.standard_unusable', bad.map(({ s }) => describeUnusable(s, date)).join('. '), {
      errors: bad.map(({ s, i }) => ({ field: `${field}[${i}]`, message: describeUnusable(s, date) })),
      standards: bad.map(({ s }) => ({ id: s.standard.id, code: s.standard.code, reasons: s.reasons })),
    });
  }
}
