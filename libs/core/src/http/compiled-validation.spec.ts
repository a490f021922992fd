import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { compileValidation } from './compiled-validation.js';

function IsEven(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEven',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: { validate: (v: unknown) => typeof v === 'number' && v % 2 === 0 },
    });
}

class Place {
  @IsOptional() @IsString() @MaxLength(5) name?: string | null;
  @ValidateIf((_o: object, v: unknown) => v !== undefined) @IsUUID('all') unit?: string | null;
}

class Body {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(8)
  name!: string;

  @IsOptional() @IsIn(['a', 'b']) kind?: string;
  @IsOptional() @IsInt() @IsEven() count?: number;
  @IsDefined() required!: unknown;
  @Allow() free?: unknown;
  @IsOptional() @ValidateNested() @Type(() => Place) place?: Place | null;
}

class GroupsOnly {
  @IsString({ groups: ['x'] }) name!: string;
}
class Each {
  @IsString({ each: true }) names!: string[];
}
class NoRules {
  name?: string;
}

const valid = (o: object) => validateSync(o, { whitelist: true, forbidNonWhitelisted: true }).length === 0;

/** A small deterministic generator of bodies near the rules' edges. */
function* bodies(): Generator<Record<string, unknown>> {
  const names = ['ok', '  ok  ', '', '   ', 'toolongname', 7, null, undefined];
  const kinds = ['a', 'c', null, undefined];
  const counts = [2, 3, 2.5, '2', null, undefined];
  const required = [0, null, undefined, 'x'];
  const places = [
    undefined,
    null,
    {},
    { name: 'abc' },
    { name: 'abcdef' },
    { unit: null },
    { unit: 'not-a-uuid' },
    { unit: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' },
    { other: 1 },
    [{ name: 'a' }],
    'text',
  ];
  for (const name of names)
    for (const kind of kinds)
      for (const count of counts)
        for (const r of required)
          for (const place of places) {
            const body: Record<string, unknown> = { name, required: r };
            if (kind !== undefined) body.kind = kind;
            if (count !== undefined) body.count = count;
            if (place !== undefined) body.place = place;
            yield body;
          }
  yield { name: 'ok', required: 1, unknown: 1 };
  yield { name: 'ok', required: 1, free: { anything: true } };
}

describe('compileValidation', () => {
  it('answers what validateSync (whitelist, forbidNonWhitelisted) answers, on thousands of bodies', () => {
    const check = compileValidation(Body)!;
    expect(check).toBeDefined();
    let n = 0;
    let passed = 0;
    for (const body of bodies()) {
      const dto = plainToInstance(Body, body);
      const expected = valid(dto);
      // A nested array is left to class-validator (false: ask it); everything else is answered exactly.
      const answer = Array.isArray(body.place) ? false : expected;
      expect({ body, valid: check(dto) }).toEqual({ body, valid: answer });
      n++;
      if (expected) passed++;
    }
    expect(n).toBeGreaterThan(5000);
    // Both answers occur: the comparison is not trivially one-sided.
    expect(passed).toBeGreaterThan(100);
    expect(n - passed).toBeGreaterThan(100);
  });

  it('refuses an object of another class (class-validator would read that class’s rules)', () => {
    expect(compileValidation(Body)!(Object.assign(new Place(), { name: 'ok' }))).toBe(false);
  });

  it('declines classes whose rules it does not reproduce (groups, each, none at all)', () => {
    expect(compileValidation(GroupsOnly)).toBeUndefined();
    expect(compileValidation(Each)).toBeUndefined();
    expect(compileValidation(NoRules)).toBeUndefined();
  });
});
