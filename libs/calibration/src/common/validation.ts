import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/** A decimal number as a string ("12.5", "-0.003"): measured values never travel as JS floats. */
export const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

export function isDecimalText(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

export function IsDecimalString(
  options?: ValidationOptions & { positive?: boolean; nonNegative?: boolean },
): PropertyDecorator {
  const qualifier = options?.positive ? ', greater than 0' : options?.nonNegative ? ', not negative' : '';
  return (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be ${options?.each ? 'a list of decimal numbers' : 'a decimal number'} written as ${options?.each ? 'strings' : 'a string'}, e.g. "12.5"${qualifier}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          isDecimalText(value) &&
          (!options?.positive || Number(value) > 0) &&
          (!options?.nonNegative || Number(value) >= 0),
      },
    });
}

export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Optional but not nullable: absent is fine, null is validated (and refused) like any other value. */
export function Optional(): PropertyDecorator {
  return ValidateIf((_o: object, value: unknown) => value !== undefined);
}
