import { convertDifference, convertValue, UnitMismatchError, type FieldError } from '#libs/core';

/**
 * Maximum permissible error (sai số lớn nhất cho phép) as a ĐLVN procedure or OIML recommendation
 * states it. Stored as JSON on an MPE rule of an instrument type; `mpeAt` turns it into a half-width
 * (the MPE is ±value) at one measurement point, in the unit of that point's readings. Each term is
 * computed in the unit its inputs carry (the reading's, the instrument range's, e's, the rule's own)
 * and converted to the point's unit with the units library: a 0–1600 kPa gauge on a type in MPa has
 * an MPE in kPa, converted, never mixed.
 */
export type MpeRule =
  /** ±p % of the reading (indicated value). */
  | { kind: 'percent_of_reading'; p: number }
  /** ±p % of the instrument's span (max − min; default) or of its maximum (upper range limit). */
  | { kind: 'percent_of_full_scale'; p: number; of?: 'span' | 'maximum' }
  /** ±(accuracy class) % of the span: the class is a number (pressure gauges: 1; 1.6; 2.5; 4). */
  | { kind: 'accuracy_class_of_span' }
  /** ±value in `unit` (absolute), converted to the reading's unit. */
  | { kind: 'fixed'; value: number; unit: string }
  /** Terms added (a + b % of reading), or the greatest of them when combine is 'max'. */
  | { kind: 'combined'; terms: MpeRule[]; combine?: 'sum' | 'max' }
  /** A rule per accuracy class (cấp chính xác), e.g. {"0.5": …, "1": …}. */
  | { kind: 'by_accuracy_class'; classes: Record<string, MpeRule> }
  /** A rule per band of |reading|: the first step whose upTo ≥ |reading| applies; upTo null = no upper bound. */
  | { kind: 'piecewise'; steps: { upTo: number | null; rule: MpeRule }[]; unit?: string }
  /**
   * Non-automatic weighing (OIML R76 3.5.1): bands of the load m in multiples of the verification
   * scale interval e, per accuracy class I–IIII; a band covers (previous upToE, upToE]. The values are
   * the initial-verification ones; in-service values come from the rule's multiplier (data per type).
   */
  | { kind: 'scale_interval_bands'; classes: Record<string, { upToE: number | null; mpeE: number }[]> }
  /**
   * Water meters (OIML R49): ±lowerP % in the lower zone Q1 ≤ Q < Q2, ±upperP % in the upper zone
   * Q2 ≤ Q ≤ Q4, ±upperPHot % there when the water is warmer than hotAboveCelsius (temperature class).
   */
  | { kind: 'flow_zones'; lowerP: number; upperP: number; upperPHot?: number; hotAboveCelsius?: number }
  /** One verification checks several quantities (taximeter distance and time): a rule per quantity. */
  | { kind: 'composite'; quantities: Record<string, MpeRule> };

export const MPE_RULE_KINDS = [
  'percent_of_reading',
  'percent_of_full_scale',
  'accuracy_class_of_span',
  'fixed',
  'combined',
  'by_accuracy_class',
  'piecewise',
  'scale_interval_bands',
  'flow_zones',
  'composite',
] as const;

/** The flow points a water-meter verification names (Q1 minimum … Q4 overload). */
export const FLOW_POINTS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export type FlowPoint = (typeof FLOW_POINTS)[number];

/** What of the instrument an MPE may depend on. Numbers in the units given beside them. */
export interface MpeInstrument {
  accuracyClass?: string | null;
  rangeMin?: number | null;
  rangeMax?: number | null;
  /** Unit of rangeMin/rangeMax; defaults to the point's unit. */
  rangeUnit?: string | null;
  /** giá trị độ chia kiểm e (scales). */
  scaleInterval?: number | null;
  /** Unit of e; defaults to the point's unit. */
  scaleIntervalUnit?: string | null;
}

export interface MpePoint {
  /** The reading (indicated value) at the point, in `unit`. */
  reading: number;
  /** The unit of the reading: the MPE is returned in it. Omitted: every term must be unit-free or in the same unit. */
  unit?: string | null;
  /** The applied load (scales: the reference mass); defaults to the reading. */
  load?: number;
  /** Which quantity of a composite rule the point measures (e.g. "distance"). */
  quantity?: string | null;
  /** Water meters: the flow point the reading was taken at. */
  flowPoint?: FlowPoint | null;
  /** Water meters: water temperature at the point, °C. */
  waterTemperature?: number | null;
  instrument?: MpeInstrument;
}

export type MpeRuleErrorCode =
  | 'full_scale_required'
  | 'accuracy_class_required'
  | 'accuracy_class_unknown'
  | 'accuracy_class_not_numeric'
  | 'unit_mismatch'
  | 'no_step'
  | 'scale_interval_required'
  | 'load_out_of_bands'
  | 'flow_point_required'
  | 'quantity_required'
  | 'quantity_unknown';

/** Which input the problem is about: the caller names its own field for it. */
export type MpeInputField =
  | 'instrument.accuracyClass'
  | 'instrument.range'
  | 'instrument.rangeUnit'
  | 'instrument.scaleInterval'
  | 'point.unit'
  | 'point.load'
  | 'point.quantity'
  | 'point.flowPoint'
  | 'rule';

export class MpeRuleError extends Error {
  constructor(
    readonly code: MpeRuleErrorCode,
    message: string,
    readonly input: MpeInputField = 'rule',
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

/** A difference stated in `from` as a difference in the point's unit; a unit-free point takes it as is. */
function toPointUnit(value: number, from: string | null | undefined, point: MpePoint, input: MpeInputField): number {
  if (!from || !point.unit || from === point.unit) return value;
  try {
    return convertDifference(value, from, point.unit);
  } catch (e) {
    if (e instanceof UnitMismatchError)
      throw new MpeRuleError(
        'unit_mismatch',
        `the reading is in ${point.unit}, which cannot be compared with ${from}`,
        input === 'rule' ? 'point.unit' : input,
      );
    throw e;
  }
}

function classOf(point: MpePoint): string | null {
  return point.instrument?.accuracyClass ?? null;
}

/** The span (or maximum) and the unit it is in. */
function fullScale(point: MpePoint, of: 'span' | 'maximum'): { value: number; unit: string | null | undefined } {
  const i = point.instrument;
  const max = i?.rangeMax ?? null;
  if (max === null) {
    throw new MpeRuleError(
      'full_scale_required',
      'This MPE is a percentage of the measuring range: the instrument’s range is needed',
      'instrument.range',
    );
  }
  const min = i?.rangeMin ?? null;
  const value = of === 'maximum' || min === null ? Math.abs(max) : Math.abs(max - min);
  return { value, unit: i?.rangeUnit ?? point.unit };
}

function requireClass(point: MpePoint): string {
  const c = classOf(point);
  if (!c)
    throw new MpeRuleError(
      'accuracy_class_required',
      'This MPE depends on the accuracy class: the instrument’s class is needed',
      'instrument.accuracyClass',
    );
  return c;
}

function lookupClass<T>(table: Record<string, T>, point: MpePoint): T {
  const wanted = normaliseAccuracyClass(requireClass(point));
  const entry = Object.entries(table).find(([c]) => normaliseAccuracyClass(c) === wanted);
  if (!entry) {
    throw new MpeRuleError(
      'accuracy_class_unknown',
      `No MPE for accuracy class ${classOf(point)} (known: ${Object.keys(table).join(', ')})`,
      'instrument.accuracyClass',
    );
  }
  return entry[1];
}

/** The MPE (±, in the point's unit) at one point. Throws MpeRuleError naming what the point or instrument lacks. */
export function mpeAt(rule: MpeRule, point: MpePoint): number {
  switch (rule.kind) {
    case 'percent_of_reading':
      return (Math.abs(point.reading) * rule.p) / 100;
    case 'percent_of_full_scale': {
      const fs = fullScale(point, rule.of ?? 'span');
      return toPointUnit((fs.value * rule.p) / 100, fs.unit, point, 'instrument.rangeUnit');
    }
    case 'accuracy_class_of_span': {
      const c = normaliseAccuracyClass(requireClass(point));
      const p = Number(c);
      if (!/^\d+(\.\d+)?$/.test(c) || !(p > 0))
        throw new MpeRuleError(
          'accuracy_class_not_numeric',
          `This MPE is the accuracy class in % of span: class ${classOf(point)} is not a number`,
          'instrument.accuracyClass',
        );
      const fs = fullScale(point, 'span');
      return toPointUnit((fs.value * p) / 100, fs.unit, point, 'instrument.rangeUnit');
    }
    case 'fixed':
      return toPointUnit(rule.value, rule.unit, point, 'point.unit');
    case 'combined': {
      const values = rule.terms.map((t) => mpeAt(t, point));
      return rule.combine === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
    }
    case 'by_accuracy_class':
      return mpeAt(lookupClass(rule.classes, point), point);
    case 'piecewise': {
      let x = Math.abs(point.reading);
      if (rule.unit && point.unit && rule.unit !== point.unit) {
        try {
          x = Math.abs(convertValue(point.reading, point.unit, rule.unit));
        } catch {
          throw new MpeRuleError(
            'unit_mismatch',
            `the reading in ${point.unit} cannot be compared with the steps' ${rule.unit}`,
            'point.unit',
          );
        }
      }
      const step = rule.steps.find((s) => s.upTo === null || x <= s.upTo);
      if (!step) throw new MpeRuleError('no_step', `No MPE step covers the reading ${point.reading}`, 'point.load');
      return mpeAt(step.rule, point);
    }
    case 'scale_interval_bands': {
      const bands = lookupClass(rule.classes, point);
      const e = point.instrument?.scaleInterval ?? null;
      if (e === null || !(e > 0))
        throw new MpeRuleError(
          'scale_interval_required',
          'This MPE is in multiples of the verification scale interval e: the instrument’s e is needed',
          'instrument.scaleInterval',
        );
      const eUnit = point.instrument?.scaleIntervalUnit ?? point.unit;
      // The load in the unit of e, then in multiples of e (a hair of tolerance: 500 e stays 500 e).
      const load = Math.abs(point.load ?? point.reading);
      const loadInE = (eUnit && point.unit ? Math.abs(convertOrThrow(load, point.unit, eUnit)) : load) / e;
      const n = Number(loadInE.toPrecision(12));
      const band = bands.find((b) => b.upToE === null || n <= b.upToE);
      if (!band)
        throw new MpeRuleError(
          'load_out_of_bands',
          `A load of ${n} e is beyond the class ${classOf(point)} bands (up to ${bands.at(-1)?.upToE} e)`,
          'point.load',
        );
      return toPointUnit(band.mpeE * e, eUnit, point, 'instrument.scaleInterval');
    }
    case 'flow_zones': {
      if (!point.flowPoint)
        throw new MpeRuleError(
          'flow_point_required',
          'This MPE depends on the flow zone: name the flow point (Q1, Q2, Q3 or Q4) of the measurement',
          'point.flowPoint',
        );
      const lower = point.flowPoint === 'Q1';
      const hot =
        rule.upperPHot !== undefined &&
        rule.hotAboveCelsius !== undefined &&
        point.waterTemperature !== undefined &&
        point.waterTemperature !== null &&
        point.waterTemperature > rule.hotAboveCelsius;
      const p = lower ? rule.lowerP : hot ? rule.upperPHot! : rule.upperP;
      return (Math.abs(point.reading) * p) / 100;
    }
    case 'composite': {
      const names = Object.keys(rule.quantities);
      const q = point.quantity ?? (names.length === 1 ? names[0]! : null);
      if (!q)
        throw new MpeRuleError(
          'quantity_required',
          `This verification checks several quantities (${names.join(', ')}): name the quantity of the point`,
          'point.quantity',
        );
      const sub = rule.quantities[q];
      if (!sub)
        throw new MpeRuleError(
          'quantity_unknown',
          `No MPE for the quantity ${q} (known: ${names.join(', ')})`,
          'point.quantity',
        );
      return mpeAt(sub, { ...point, quantity: null });
    }
  }
}

function convertOrThrow(value: number, from: string, to: string): number {
  try {
    return convertValue(value, from, to);
  } catch (e) {
    if (e instanceof UnitMismatchError)
      throw new MpeRuleError('unit_mismatch', `the load in ${from} cannot be compared with e in ${to}`, 'point.unit');
    throw e;
  }
}

const MAX_DEPTH = 5;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Checks of one field of a rule, shared by its kinds; each pushes what it finds onto `errors`. */
function fieldChecks(value: Record<string, unknown>, path: string, insideClassTable: boolean, errors: FieldError[]) {
  const allowed = (keys: string[]): void => {
    for (const k of Object.keys(value)) {
      if (k !== 'kind' && !keys.includes(k))
        errors.push({ field: `${path}.${k}`, message: `${path}.${k} is not a field of a ${String(value.kind)} rule` });
    }
  };
  const percent = (key: string, required = true): void => {
    if (value[key] === undefined && !required) return;
    if (!positiveNumber(value[key]))
      errors.push({ field: `${path}.${key}`, message: `${path}.${key} must be a number of percent greater than 0` });
  };
  const unitText = (key: string, required: boolean): void => {
    const u = value[key];
    if (u === undefined && !required) return;
    if (typeof u !== 'string' || !u.trim() || u.length > 30)
      errors.push({ field: `${path}.${key}`, message: `${path}.${key} must be a unit symbol of 1 to 30 characters` });
  };
  const classTable = (key: string, each: (rule: unknown, at: string) => void): void => {
    if (insideClassTable)
      errors.push({ field: path, message: `${path}: a table by accuracy class cannot sit inside another` });
    const classes = value[key];
    if (!isObject(classes) || Object.keys(classes).length === 0) {
      errors.push({
        field: `${path}.${key}`,
        message: `${path}.${key} must map at least one accuracy class to a rule`,
      });
      return;
    }
    const seen = new Map<string, string>();
    for (const [c, rule] of Object.entries(classes)) {
      const k = normaliseAccuracyClass(c);
      if (!k || k.length > 20)
        errors.push({ field: `${path}.${key}`, message: `${path}.${key} has an empty or over-long class name` });
      else if (seen.has(k))
        errors.push({
          field: `${path}.${key}.${c}`,
          message: `${path}.${key}: ${c} is the same class as ${seen.get(k)}`,
        });
      seen.set(k, c);
      each(rule, `${path}.${key}.${c}`);
    }
  };
  return { allowed, percent, unitText, classTable };
}

/**
 * Checks an MPE rule received as JSON; returns every problem with its path (e.g. `mpeRule.terms[1].p`).
 * JSON numbers, not strings: the rule holds regulatory constants, and PostgreSQL's jsonb keeps them exact.
 */
export function checkMpeRule(value: unknown, path = 'mpeRule', depth = 0, insideClassTable = false): FieldError[] {
  if (depth > MAX_DEPTH) return [{ field: path, message: `${path} nests deeper than ${MAX_DEPTH} levels` }];
  if (!isObject(value)) return [{ field: path, message: `${path} must be an object with a kind` }];
  const errors: FieldError[] = [];
  const { allowed, percent, unitText, classTable } = fieldChecks(value, path, insideClassTable, errors);
  switch (value.kind) {
    case 'percent_of_reading':
      allowed(['p']);
      percent('p');
      break;
    case 'percent_of_full_scale':
      allowed(['p', 'of']);
      percent('p');
      if (value.of !== undefined && value.of !== 'span' && value.of !== 'maximum')
        errors.push({ field: `${path}.of`, message: `${path}.of must be span or maximum` });
      break;
    case 'accuracy_class_of_span':
      allowed([]);
      break;
    case 'fixed':
      allowed(['value', 'unit']);
      if (!positiveNumber(value.value))
        errors.push({ field: `${path}.value`, message: `${path}.value must be a number greater than 0` });
      unitText('unit', true);
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
    case 'by_accuracy_class':
      allowed(['classes']);
      classTable('classes', (rule, at) => errors.push(...checkMpeRule(rule, at, depth + 1, true)));
      break;
    case 'piecewise': {
      allowed(['steps', 'unit']);
      unitText('unit', false);
      const steps = value.steps;
      if (!Array.isArray(steps) || steps.length < 1 || steps.length > 20) {
        errors.push({ field: `${path}.steps`, message: `${path}.steps must be a list of 1 to 20 steps` });
        break;
      }
      checkAscending(steps, path, 'steps', 'upTo', errors, (s, p) =>
        errors.push(...checkMpeRule(s.rule, `${p}.rule`, depth + 1, insideClassTable)),
      );
      break;
    }
    case 'scale_interval_bands':
      allowed(['classes']);
      classTable('classes', (bands, at) => {
        if (!Array.isArray(bands) || bands.length < 1 || bands.length > 10) {
          errors.push({ field: at, message: `${at} must be a list of 1 to 10 bands` });
          return;
        }
        checkAscending(
          bands,
          at.slice(0, at.lastIndexOf('.')),
          at.slice(at.lastIndexOf('.') + 1),
          'upToE',
          errors,
          (b, p) => {
            if (!positiveNumber(b.mpeE))
              errors.push({ field: `${p}.mpeE`, message: `${p}.mpeE must be a number of e greater than 0` });
          },
        );
      });
      break;
    case 'flow_zones':
      allowed(['lowerP', 'upperP', 'upperPHot', 'hotAboveCelsius']);
      percent('lowerP');
      percent('upperP');
      percent('upperPHot', false);
      if ((value.upperPHot === undefined) !== (value.hotAboveCelsius === undefined))
        errors.push({ field: `${path}.hotAboveCelsius`, message: `${path}.upperPHot and hotAboveCelsius go together` });
      if (
        value.hotAboveCelsius !== undefined &&
        (typeof value.hotAboveCelsius !== 'number' || !Number.isFinite(value.hotAboveCelsius))
      )
        errors.push({
          field: `${path}.hotAboveCelsius`,
          message: `${path}.hotAboveCelsius must be a temperature in °C`,
        });
      break;
    case 'composite': {
      allowed(['quantities']);
      const q = value.quantities;
      if (!isObject(q) || Object.keys(q).length === 0 || Object.keys(q).length > 10) {
        errors.push({
          field: `${path}.quantities`,
          message: `${path}.quantities must map 1 to 10 quantities to rules`,
        });
        break;
      }
      for (const [name, rule] of Object.entries(q)) {
        if (!/^[a-z][a-z0-9_]{0,39}$/.test(name))
          errors.push({
            field: `${path}.quantities.${name}`,
            message: `${path}.quantities: "${name}" must be a lower-case name (a-z, 0-9, _)`,
          });
        errors.push(...checkMpeRule(rule, `${path}.quantities.${name}`, depth + 1, insideClassTable));
      }
      break;
    }
    default:
      errors.push({ field: `${path}.kind`, message: `${path}.kind must be one of ${MPE_RULE_KINDS.join(', ')}` });
  }
  return errors;
}

/** A list of steps with ascending upper bounds; null (no bound) only on the last. */
function checkAscending(
  steps: unknown[],
  path: string,
  listKey: string,
  boundKey: string,
  errors: FieldError[],
  each: (step: Record<string, unknown>, at: string) => void,
): void {
  let previous = -Infinity;
  steps.forEach((s, i) => {
    const p = `${path}.${listKey}[${i}]`;
    if (!isObject(s)) {
      errors.push({ field: p, message: `${p} must be an object with ${boundKey}` });
      return;
    }
    const bound = s[boundKey];
    const last = i === steps.length - 1;
    if (bound === null) {
      if (!last)
        errors.push({
          field: `${p}.${boundKey}`,
          message: `${p}.${boundKey} may be null (no upper bound) only on the last step`,
        });
    } else if (typeof bound !== 'number' || !Number.isFinite(bound) || bound < 0) {
      errors.push({
        field: `${p}.${boundKey}`,
        message: `${p}.${boundKey} must be a number ≥ 0, or null on the last step`,
      });
    } else if (bound <= previous) {
      errors.push({ field: `${p}.${boundKey}`, message: `${p}.${boundKey} must be greater than the previous step's` });
    } else previous = bound;
    each(s, p);
  });
}
