import type { FieldError } from '../errors/domain-error.js';

/** The environmental quantities a procedure or a test method may limit, each in its one unit. */
export const ENVIRONMENT_QUANTITIES = [
  { key: 'temperature', unit: '°C' },
  { key: 'humidity', unit: '%RH' },
  { key: 'pressure', unit: 'kPa' },
] as const;
export type EnvironmentQuantity = (typeof ENVIRONMENT_QUANTITIES)[number]['key'];

/** Inclusive bounds as decimal strings; null: unbounded on that side. */
export interface QuantityLimits {
  min: string | null;
  max: string | null;
}

/** The limits a procedure (calibration template) or a test method sets, in the quantities' units. */
export type EnvironmentLimits = Partial<Record<EnvironmentQuantity, QuantityLimits>>;

/**
 * The recorded environment (values in the quantities' units) against limits: every quantity with a
 * limit must be recorded and within it, bounds included. `by` names whose limits they are in the
 * messages ("the procedure", "method TCVN 7760"). Pure; shared by calibration and testing.
 */
export function environmentProblems(
  environment: Partial<Record<EnvironmentQuantity, string | number | undefined>>,
  limits: EnvironmentLimits,
  by: string,
): FieldError[] {
  const problems: FieldError[] = [];
  for (const q of ENVIRONMENT_QUANTITIES) {
    const limit = limits[q.key];
    if (!limit || (limit.min === null && limit.max === null)) continue;
    const { min, max } = limit;
    const value = environment[q.key];
    const range = `${min ?? '−∞'} to ${max ?? '+∞'} ${q.unit}`;
    if (value === undefined) {
      problems.push({
        field: `environment.${q.key}`,
        message: `${q.key} must be recorded: ${by} limits it to ${range}`,
      });
    } else if ((min !== null && Number(value) < Number(min)) || (max !== null && Number(value) > Number(max))) {
      problems.push({
        field: `environment.${q.key}`,
        message: `${q.key} ${value} ${q.unit} is outside ${by}'s limits (${range})`,
      });
    }
  }
  return problems;
}
