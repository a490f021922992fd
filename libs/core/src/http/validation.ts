import { ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { InvalidInputError, type FieldError } from '../errors/domain-error.js';
import { compileValidation } from './compiled-validation.js';

/** Flattens class-validator's tree into `items[2].serial`-style paths, each with the constraint it failed. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    for (const [constraint, message] of Object.entries(e.constraints ?? {}))
      out.push({ field: path, message, constraint });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, path));
  }
  return out;
}

/**
 * Nest's ValidationPipe, asking the DTO's compiled rules first (compileValidation): a body they pass
 * is one class-validator would pass, so it goes on without class-validator's per-object work; any
 * other body is validated by class-validator as before, for the same errors and messages. A POST
 * /requests with 10,000 new instruments validates ≈ 30,000 objects; class-validator looks each one's
 * rules up among every class the process declares (bench/README.md, requests-10k).
 */
export class CompiledValidationPipe extends ValidationPipe {
  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    if (compiledOptions(options)) {
      const check = compileValidation(object.constructor as abstract new (...args: never[]) => unknown);
      if (check?.(object)) return [];
    }
    return super.validate(object, options);
  }
}

/** The options compileValidation answers for: whitelist and forbidNonWhitelisted, no groups, nothing skipped. */
function compiledOptions(o: ValidatorOptions | undefined): boolean {
  return (
    o?.whitelist === true &&
    o.forbidNonWhitelisted === true &&
    !o.groups?.length &&
    !o.always &&
    !o.strictGroups &&
    !o.skipMissingProperties &&
    !o.skipNullProperties &&
    !o.skipUndefinedProperties
  );
}

/** The API's validation: unknown properties refused, bodies turned into their DTO classes, 400 naming each field. */
export const VALIDATION_PIPE_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  validationError: { target: false, value: false },
  exceptionFactory: (errors: ValidationError[]) => new InvalidInputError(flattenValidationErrors(errors)),
} as const satisfies ValidationPipeOptions;

export function createValidationPipe(): ValidationPipe {
  return new CompiledValidationPipe(VALIDATION_PIPE_OPTIONS);
}
