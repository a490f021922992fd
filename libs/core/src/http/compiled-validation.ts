import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

/** class-validator's metadata of one rule (its type is not exported from the package's root). */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** True when the object passes every rule; false when it may not (ask class-validator for the messages). */
export type CompiledValidation = (object: object) => boolean;

type Check = (object: Record<string, unknown>) => boolean;

const compiled = new Map<object, CompiledValidation | null>();

/**
 * A DTO class's own class-validator rules, read once from its decorators' metadata, as one function
 * that answers whether `validateSync(instance, { whitelist: true, forbidNonWhitelisted: true })` (the
 * options of the API's ValidationPipe) would find nothing. The rules stay those of the decorators —
 * the same constraint instances are called — but without class-validator's per-call work: each
 * `validateSync` looks the class's metadata up again among every class the process declares (and
 * builds error objects), ≈ 100 µs per object in this application, most of a 50,000-row import.
 *
 * It only says valid or maybe not: on `false`, run `validateSync` for that object to get the errors
 * and their messages. Returns undefined (use validateSync always) for a class whose rules it does not
 * reproduce exactly: groups, contexts, async or promise validation. `each` is reproduced for arrays
 * (a rule on every element; nested objects in an array, as class-validator validates them with or
 * without `each`); a Set or a Map, which JSON cannot give, answers `false`.
 */
export function compileValidation(target: abstract new (...args: never[]) => unknown): CompiledValidation | undefined {
  if (compiled.has(target)) return compiled.get(target) ?? undefined;
  compiled.set(target, null); // a class nesting itself is not compiled
  const check = compileClass(target);
  compiled.set(target, check ?? null);
  return check;
}

function compileClass(target: abstract new (...args: never[]) => unknown): CompiledValidation | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false);
  // No rule at all: class-validator refuses the object (forbidUnknownValues).
  if (!metadatas.length) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  const checks: Check[] = [];
  for (const [property, list] of Object.entries(grouped)) {
    const check = compileProperty(property, list);
    if (!check) return undefined;
    checks.push(check);
  }
  const known = new Set(Object.keys(grouped));
  return (object: object): boolean => {
    if (object.constructor !== target) return false;
    const o = object as Record<string, unknown>;
    // forbidNonWhitelisted: a property without any rule is an error.
    for (const key of Object.keys(o)) if (!known.has(key)) return false;
    for (const check of checks) if (!check(o)) return false;
    return true;
  };
}

/** class-validator's performValidations for one property: conditions, then IsDefined, custom and nested rules. */
function compileProperty(property: string, list: ValidationMetadata[]): Check | undefined {
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const rules: ((object: Record<string, unknown>, value: unknown) => boolean)[] = [];
  let nested = false;
  for (const m of list) {
    if (m.context || m.groups?.length || m.always) return undefined;
    switch (m.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const rule = compileRule(m);
        if (!rule) return undefined;
        rules.push(rule);
        break;
      }
      case ValidationTypes.NESTED_VALIDATION:
        nested = true;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        return undefined;
    }
  }
  return (object) => {
    const value = object[property];
    for (const condition of conditions) if (!condition(object, value)) return true;
    for (const rule of rules) if (!rule(object, value)) return false;
    return !nested || value === undefined || nestedValid(value);
  };
}

/**
 * One custom rule: every validator its constraint class registers, called as class-validator calls it
 * (with `each`, on every element of an array, the arguments naming the whole value).
 */
function compileRule(
  m: ValidationMetadata,
): ((object: Record<string, unknown>, value: unknown) => boolean) | undefined {
  const constraints = getMetadataStorage().getTargetValidatorConstraints(m.constraintCls);
  if (constraints.some((v) => v.async)) return undefined;
  // Each constraint's instance, taken once: class-validator's getter searches its container's list
  // of every constraint class on each call (the project sets no other container: useContainer).
  const validators = constraints.map((v) => ({ instance: v.instance }));
  const validateIf = (m as { validateIf?: (object: object, value: unknown) => boolean }).validateIf;
  return (object, value) => {
    if (validateIf && !validateIf(object, value)) return true;
    const args: ValidationArguments = {
      targetName: object.constructor?.name,
      property: m.propertyName,
      object,
      value,
      constraints: m.constraints,
    };
    // A promise (an async rule) is not an answer here: class-validator is asked instead.
    if (!m.each || !isCollection(value)) return validators.every((v) => v.instance.validate(value, args) === true);
    return (
      Array.isArray(value) && validators.every((v) => value.every((item) => v.instance.validate(item, args) === true))
    );
  };
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

/**
 * ValidateNested of a value, as class-validator's nestedValidations: an object by its class's rules,
 * an array element by element (an undefined element is skipped, as there), null and other
 * non-objects are errors. Nested arrays, sets and maps: ask class-validator.
 */
function nestedValid(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => item === undefined || nestedObjectValid(item));
  return nestedObjectValid(value);
}

function nestedObjectValid(value: unknown): boolean {
  if (!(value instanceof Object) || isCollection(value)) return false;
  const check = compileValidation(value.constructor as abstract new (...args: never[]) => unknown);
  return check !== undefined && check(value);
}
