import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
class NoRules {
  name?: string;
}

/** Arrays: a rule on each element, nested objects in an array (with and without `each`), sizes. */
class Lists {
  @IsOptional() @IsString({ each: true }) @MaxLength(3, { each: true }) names?: unknown;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Place) places!: unknown;
  @IsOptional() @ValidateNested() @Type(() => Place) more?: unknown;
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
      expect({ body, valid: check(dto) }).toEqual({ body, valid: expected });
      n++;
      if (expected) passed++;
    }
    expect(n).toBeGreaterThan(5000);
    // Both answers occur: the comparison is not trivially one-sided.
    expect(passed).toBeGreaterThan(100);
    expect(n - passed).toBeGreaterThan(100);
  });

  it('answers what validateSync answers for arrays: each element, nested objects, sizes', () => {
    const check = compileValidation(Lists)!;
    expect(check).toBeDefined();
    const names = [undefined, [], ['ab'], ['ab', 'abcd'], ['ab', 3], 'ab', null];
    const place = [{ name: 'ab' }, { name: 'abcdef' }, { unit: 'x' }, { other: 1 }, null, 'p', 7, [], [{ name: 'a' }]];
    const lists: unknown[] = [
      undefined,
      null,
      {},
      'x',
      [],
      ...place.map((p) => [p]),
      place.slice(0, 4),
      [place[0], place[0]],
    ];
    let n = 0;
    let passed = 0;
    for (const nm of names)
      for (const places of lists)
        for (const more of [undefined, [place[0]], [place[1]], place[0]]) {
          const body: Record<string, unknown> = {};
          if (nm !== undefined) body.names = nm;
          if (places !== undefined) body.places = places;
          if (more !== undefined) body.more = more;
          const dto = plainToInstance(Lists, body);
          const expected = valid(dto);
          // Arrays inside arrays are left to class-validator (false: ask it).
          const nestedArray = [body.places, body.more].some((v) => Array.isArray(v) && v.some(Array.isArray));
          expect({ body, valid: check(dto) }).toEqual({ body, valid: nestedArray ? false : expected });
          n++;
          if (expected) passed++;
        }
    expect(n).toBeGreaterThan(300);
    expect(passed).toBeGreaterThan(20);
    expect(n - passed).toBeGreaterThan(20);
  });

  it('refuses an object of another class (class-validator would read that class’s rules)', () => {
    expect(compileValidation(Body)!(Object.assign(new Place(), { name: 'ok' }))).toBe(false);
  });

  it('declines classes whose rules it does not reproduce (groups, none at all)', () => {
    expect(compileValidation(GroupsOnly)).toBeUndefined();
    expect(compileValidation(NoRules)).toBeUndefined();
  });
});
