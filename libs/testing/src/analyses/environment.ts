import {
  convertValue,
  ENVIRONMENT_QUANTITIES,
  environmentProblems,
  sameDimension,
  type EnvironmentLimits,
  type EnvironmentQuantity,
  type FieldError,
} from '#libs/core';

/** The environment as recorded with a revision: each quantity with its value and unit. */
export type RecordedEnvironment = Partial<Record<EnvironmentQuantity, { value: string; unit: string }>>;

/** A method as its environmental limits need it. */
export interface MethodEnvironment {
  code: string;
  environmentLimits: EnvironmentLimits;
}

/**
 * A revision's recorded environment against the limits of the methods of the rows measured in it
 * (core's environmentProblems, as calibration checks a procedure's): each quantity a method limits
 * must be recorded and within, after conversion to the limit's unit (°C, %RH, kPa; core's units).
 * Each problem names `environment.<quantity>` and the method. Pure.
 */
export function checkEnvironment(
  recorded: RecordedEnvironment | undefined,
  methods: MethodEnvironment[],
): FieldError[] {
  const values: Partial<Record<EnvironmentQuantity, string>> = {};
  const problems: FieldError[] = [];
  for (const q of ENVIRONMENT_QUANTITIES) {
    const r = recorded?.[q.key];
    if (!r) continue;
    if (r.unit.trim() === q.unit) values[q.key] = r.value.replace(',', '.');
    else if (sameDimension(r.unit, q.unit))
      values[q.key] = String(convertValue(Number(r.value.replace(',', '.')), r.unit, q.unit));
    else
      problems.push({
        field: `environment.${q.key}.unit`,
        message: `${q.key} is recorded in ${q.unit} (got ${r.unit})`,
      });
  }
  if (problems.length) return problems;
  const seen = new Set<string>();
  for (const m of methods) {
    if (seen.has(m.code)) continue;
    seen.add(m.code);
    problems.push(...environmentProblems(values, m.environmentLimits, `method ${m.code}`));
  }
  return problems;
}
