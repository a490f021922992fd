import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/** A decimal number as a string ("12.5", "-0.003"): measured values never travel as JS floats. */
export const DECIMAL = /^-?\d{1,15}(\.\d{1,12})?$/;

export function IsDecimalString(options?: ValidationOptions & { positive?: boolean }): PropertyDecorator {
  return (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be a decimal number written as a string, e.g. "12.5"${options?.positive ? ', greater than 0' : ''}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && DECIMAL.test(value) && (!options?.positive || Number(value) > 0),
      },
    });
}

export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/**
 * Optional, but not nullable: absent is fine, null is validated like any other value (and refused by
 * the field's own rules). @IsOptional lets null through, which would reach a NOT NULL column.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_o: object, value: unknown) => value !== undefined);
}
