import type { FieldError } from '#libs/core';

/**
 * Maximum permissible error (sai số lớn nhất cho phép) of an instrument type, as its ĐLVN procedure
 * states it. Stored as JSON on the type; `mpeAt` turns it into a number at one measurement point.
 * All results are half-widths (the MPE is ±value) in the unit of the reading.
 */
export type MpeRule =
  /** ±p % of the reading (indicated value). */
  | { kind: 'percent_of_reading'; p: number }
  /** ±p % of full scale: the caller passes the full scale the procedure means (upper range limit or span). */
  | { kind: 'percent_of_full_scale'; p: number }
  /** ±value in `unit`, which must be the unit of the reading. */
  | { kind: 'fixed'; value: number; unit: string }
  /** Terms added (a + b % of reading), or the greatest of them when combine is 'max'. */
  | { kind: 'combined'; terms: MpeRule[]; combine?: 'sum' | 'max' }
  /** A rule per accuracy class (cấp chính xác), e.g. {"0.5": …, "1": …}. */
  | { kind: 'by_accuracy_class'; classes: Record<string, MpeRule> }
  /** A rule per band of |reading|: the first step whose upTo ≥ |reading| applies; upTo null = no upper bound. */
  | { kind: 'piecewise'; steps: { upTo: number | null; rule: MpeRule }[] };

export const MPE_RULE_KINDS = [
  'percent_of_reading',
  'percent_of_full_scale',
  'fixed',
  'combined',
  'by_accuracy_class',
  'piecewise',
] as const;

export interface MpePoint {
  /** The reading (indicated value) at the measurement point. */
  reading: number;
  /** Needed by percent_of_full_scale. */
  fullScale?: number | null;
  /** Needed by by_accuracy_class. */
  accuracyClass?: string | null;
  /** When given, a fixed term in another unit is an error instead of a silent mix. */
  unit?: string | null;
}

export class MpeRuleError extends Error {
  constructor(
    readonly code:
      'full_scale_required' | 'accuracy_class_required' | 'accuracy_class_unknown' | 'unit_mismatch' | 'no_step',
    message: string,
  ) {
    super(message);
    this.name = 'MpeRuleError';
  }
}

/** "0,5" (Vietnamese decimal comma), "0.50" and "0.5" are the same class; "ii" is "II". */
export function normaliseAccuracyClass(c: string): string {
  const s = c.trim().replace(',', '.').toUpperCase();
  return /^\d+(\.\d+)?$/.test(s) ? String(Number(s)) : s;
}

/** The MPE (±, in the reading's unit) at one point. Throws MpeRuleError when the point lacks what the rule needs. */
export function mpeAt(rule: MpeRule, point: MpePoint): number {
  switch (rule.kind) {
    case 'percent_of_reading':
      return (Math.abs(point.reading) * rule.p) / 100;
    case 'percent_of_full_scale':
      if (point.fullScale === undefined || point.fullScale === null) {
        throw new MpeRuleError(
          'full_scale_required',
          'This MPE is a percentage of full scale: the full scale is needed',
        );
      }
      return (Math.abs(point.fullScale) * rule.p) / 100;
    case 'fixed':
      if (point.unit && point.unit !== rule.unit) {
        throw new MpeRuleError('unit_mismatch', `This MPE is stated in ${rule.unit}, the reading is in ${point.unit}`);
      }
      return rule.value;
    case 'combined': {
      const values = rule.terms.map((t) => mpeAt(t, point));
      return rule.combine === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
    }
    case 'by_accuracy_class': {
      if (!point.accuracyClass)
        throw new MpeRuleError(
          'accuracy_class_required',
          'This MPE depends on the accuracy class: the class is needed',
        );
      const wanted = normaliseAccuracyClass(point.accuracyClass);
      const entry = Object.entries(rule.classes).find(([c]) => normaliseAccuracyClass(c) === wanted);
      if (!entry) {
        throw new MpeRuleError(
          'accuracy_class_unknown',
          `No MPE for accuracy class ${point.accuracyClass} (known: ${Object.keys(rule.classes).join(', ')})`,
        );
      }
      return mpeAt(entry[1], point);
    }
    case 'piecewise': {
      const x = Math.abs(point.reading);
      const step = rule.steps.find((s) => s.upTo === null || x <= s.upTo);
      if (!step) throw new MpeRuleError('no_step', `No MPE step covers the reading ${point.reading}`);
      return mpeAt(step.rule, point);
    }
  }
}

const MAX_DEPTH = 5;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/**
 * Checks an MPE rule received as JSON; returns every problem with its path (e.g. `mpeRule.terms[1].p`).
 * JSON numbers, not strings: the rule holds regulatory constants, and PostgreSQL's jsonb keeps them exact.
 */
export function checkMpeRule(value: unknown, path = 'mpeRule', depth = 0, insideClassTable = false): FieldError[] {
  if (depth > MAX_DEPTH) return [{ field: path, message: `${path} nests deeper than ${MAX_DEPTH} levels` }];
  if (!isObject(value)) return [{ field: path, message: `${path} must be an object with a kind` }];
  const errors: FieldError[] = [];
  const allowed = (keys: string[]): void => {
    for (const k of Object.keys(value)) {
      if (k !== 'kind' && !keys.includes(k))
        errors.push({ field: `${path}.${k}`, message: `${path}.${k} is not a field of a ${String(value.kind)} rule` });
    }
  };
  switch (value.kind) {
    case 'percent_of_reading':
    case 'percent_of_full_scale':
      allowed(['p']);
      if (!positiveNumber(value.p))
        errors.push({ field: `${path}.p`, message: `${path}.p must be a number of percent greater than 0` });
      break;
    case 'fixed':
      allowed(['value', 'unit']);
      if (!positiveNumber(value.value))
        errors.push({ field: `${path}.value`, message: `${path}.value must be a number greater than 0` });
      if (typeof value.unit !== 'string' || !value.unit.trim() || value.unit.length > 30) {
        errors.push({ field: `${path}.unit`, message: `${path}.unit must be a unit symbol of 1 to 30 characters` });
      }
      break;
    case 'combined':
      allowed(['terms', 'combine']);
      if (!Array.isArray(value.terms) || value.terms.length < 1 || value.terms.length > 10) {
        errors.push({ field: `${path}.terms`, message: `${path}.terms must be a list of 1 to 10 rules` });
      } else {
        value.terms.forEach((t, i) =>
          errors.push(...checkMpeRule(t, `${path}.terms[${i}]`, depth + 1, insideClassTable)),
        );
      }
      if (value.combine !== undefined && value.combine !== 'sum' && value.combine !== 'max') {
        errors.push({ field: `${path}.combine`, message: `${path}.combine must be sum or max` });
      }
      break;
    case 'by_accuracy_class': {
      allowed(['classes']);
      if (insideClassTable)
        errors.push({ field: path, message: `${path}: a table by accuracy class cannot sit inside another` });
      const classes = value.classes;
      if (!isObject(classes) || Object.keys(classes).length === 0) {
        errors.push({
          field: `${path}.classes`,
          message: `${path}.classes must map at least one accuracy class to a rule`,
        });
        break;
      }
      const seen = new Map<string, string>();
      for (const [c, rule] of Object.entries(classes)) {
        const key = normaliseAccuracyClass(c);
        if (!key || key.length > 20)
          errors.push({ field: `${path}.classes`, message: `${path}.classes has an empty or over-long class name` });
        else if (seen.has(key))
          errors.push({
            field: `${path}.classes.${c}`,
            message: `${path}.classes: ${c} is the same class as ${seen.get(key)}`,
          });
        seen.set(key, c);
        errors.push(...checkMpeRule(rule, `${path}.classes.${c}`, depth + 1, true));
      }
      break;
    }
    case 'piecewise': {
      allowed(['steps']);
      const steps = value.steps;
      if (!Array.isArray(steps) || steps.length < 1 || steps.length > 20) {
        errors.push({ field: `${path}.steps`, message: `${path}.steps must be a list of 1 to 20 steps` });
        break;
      }
      let previous = -Infinity;
      steps.forEach((s, i) => {
        const p = `${path}.steps[${i}]`;
        if (!isObject(s)) {
          errors.push({ field: p, message: `${p} must be an object with upTo and rule` });
          return;
        }
        const last = i === steps.length - 1;
        if (s.upTo === null) {
          if (!last)
            errors.push({
              field: `${p}.upTo`,
              message: `${p}.upTo may be null (no upper bound) only on the last step`,
            });
        } else if (typeof s.upTo !== 'number' || !Number.isFinite(s.upTo) || s.upTo < 0) {
          errors.push({ field: `${p}.upTo`, message: `${p}.upTo must be a number ≥ 0, or null on the last step` });
        } else if (s.upTo <= previous) {
          errors.push({ field: `${p}.upTo`, message: `${p}.upTo must be greater than the previous step's` });
        } else previous = s.upTo;
        errors.push(...checkMpeRule(s.rule, `${p}.rule`, depth + 1, insideClassTable));
      });
      break;
    }
    default:
      errors.push({ field: `${path}.kind`, message: `${path}.kind must be one of ${MPE_RULE_KINDS.join(', ')}` });
  }
  return errors;
}
