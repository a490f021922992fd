/// <reference types="jest" />
// jest runs this spec (testMatch apps/**/*.spec.ts); the app itself has no test types.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { errorsEn } from '../i18n/errors/en';
import { errorsVi } from '../i18n/errors/vi';
import { fieldMessage, problemText, type ErrorTexts } from './problem-text';

/** The lookup the app does (i18n/index.ts errorTexts) over one language's texts. */
function textsOf(bundle: { codes: Record<string, string>; validation: Record<string, string> }): ErrorTexts {
  return (key, values = {}) => {
    const [group, ...rest] = key.split('.');
    const text = (bundle as Record<string, Record<string, string>>)[group!]?.[rest.join('.')];
    return text === undefined ? null : text.replace(/\{\{(\w+)\}\}/g, (_, n: string) => values[n] ?? '');
  };
}
const vi = textsOf(errorsVi);
const en = textsOf(errorsEn);

/** The field errors the API sends for a 400 (libs/core/src/http/validation.ts: one per constraint). */
function apiFieldErrors(
  errors: ValidationError[],
  parent = '',
): { field: string; message: string; constraint: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({ field, message, constraint }));
    return [...own, ...apiFieldErrors(e.children ?? [], field)];
  });
}

/** One property per constraint, decorated by calling the decorators (the app's tsconfig has no legacy decorators). */
class Body {
  [key: string]: unknown;
}
const rules: [string, PropertyDecorator, unknown][] = [
  ['name', IsNotEmpty(), ''],
  ['place', IsString(), 5],
  ['id', IsUUID(), 'x'],
  ['note', MaxLength(200), 'x'.repeat(201)],
  ['password', MinLength(12), 'short'],
  ['service', IsIn(['calibration', 'verification_periodic']), 'repair'],
  ['items', IsArray(), 'x'],
  ['points', ArrayMinSize(1), []],
  ['keys', ArrayMaxSize(2), [1, 2, 3]],
  ['ids', ArrayUnique(), [1, 1]],
  ['low', Min(0), -1],
  ['high', Max(100), 101],
  ['count', IsNumber(), 'x'],
  ['limit', IsInt(), 1.5],
  ['size', IsPositive(), -2],
  ['active', IsBoolean(), 'yes'],
  ['email', IsEmail(), 'x'],
  ['url', IsUrl(), 'x'],
  ['env', IsObject(), 'x'],
  ['code', Matches(/^[A-Z]+$/), 'abc'],
];
for (const [property, decorate] of rules) decorate(Body.prototype, property);

describe('problem texts in the active language', () => {
  const body = Object.assign(new Body(), Object.fromEntries(rules.map(([p, , v]) => [p, v])), { extra: 1 });
  const errors = apiFieldErrors(validateSync(body, { whitelist: true, forbidNonWhitelisted: true }));

  it("words every class-validator constraint the DTOs use, from the API's real messages", () => {
    expect(errors.map((e) => e.constraint).sort()).toEqual(
      [
        'arrayMaxSize',
        'arrayMinSize',
        'arrayUnique',
        'isArray',
        'isBoolean',
        'isEmail',
        'isIn',
        'isInt',
        'isNotEmpty',
        'isNumber',
        'isObject',
        'isPositive',
        'isString',
        'isUrl',
        'isUuid',
        'matches',
        'max',
        'maxLength',
        'min',
        'minLength',
        'whitelistValidation',
      ].sort(),
    );
    for (const e of errors) {
      const worded = fieldMessage(e, vi);
      expect([e.constraint, worded === e.message]).toEqual([e.constraint, false]);
      expect(worded).not.toMatch(/\{\{|\}\}/);
    }
    const byField = Object.fromEntries(errors.map((e) => [e.field, fieldMessage(e, vi)]));
    expect(byField).toMatchObject({
      name: 'Không được để trống',
      note: 'Tối đa 200 ký tự',
      password: 'Tối thiểu 12 ký tự',
      service: 'Phải là một trong các giá trị: calibration, verification_periodic',
      keys: 'Tối đa 2 phần tử',
      low: 'Không được nhỏ hơn 0',
      high: 'Không được lớn hơn 100',
      extra: 'Trường extra không được phép gửi',
    });
  });

  it("words the API's own validators' default messages (isCalendarDate, isDecimalString)", () => {
    const date = {
      field: 'measuredOn',
      constraint: 'isCalendarDate',
      message: 'measuredOn must be a calendar date YYYY-MM-DD',
    };
    const positive = {
      field: 'points[0].readings[1]',
      constraint: 'isDecimalString',
      message: 'readings must be a decimal number written as a string, e.g. "12.5", greater than 0',
    };
    expect(fieldMessage(date, vi)).toBe('Phải là một ngày có thật');
    expect(fieldMessage(positive, vi)).toBe('Phải là số thập phân lớn hơn 0, ví dụ 12,5');
    expect(fieldMessage({ ...positive, message: positive.message.replace(', greater than 0', '') }, vi)).toBe(
      'Phải là số thập phân, ví dụ 12,5',
    );
  });

  it("keeps the API's words: a DTO's own message, a constraint without a text, a 422's field, English", () => {
    const own = { field: 'taxCode', constraint: 'matches', message: 'taxCode must be 10 digits, or 10 + "-" + 3' };
    expect(fieldMessage(own, vi)).toBe(own.message);
    const unknown = { field: 'x', constraint: 'isLatLong', message: 'x must be a latitude,longitude string' };
    expect(fieldMessage(unknown, vi)).toBe(unknown.message);
    const domain = { field: 'environment.temperature', message: '31.5 °C is outside the procedure’s 18 to 28 °C' };
    expect(fieldMessage(domain, vi)).toBe(domain.message);
    const empty = { field: 'name', constraint: 'isNotEmpty', message: 'name should not be empty' };
    expect(fieldMessage(empty, en)).toBe(empty.message);
  });

  it('words a 422 field error by the catalogue rule it names, with its values, dates as dd/MM/yyyy', () => {
    const noCycle = {
      field: 'items[0]',
      constraint: 'readiness.no_cycle',
      values: { service: 'verification_initial', date: '2026-12-01' },
      message: 'item 1 (verification_initial): no verification cycle is in force on 2026-12-01',
    };
    expect(fieldMessage(noCycle, vi)).toBe('loại thiết bị chưa có chu kỳ kiểm định hiệu lực ngày 01/12/2026');
    const unconfirmed = {
      ...noCycle,
      constraint: 'readiness.mpe_rule_unconfirmed',
      values: { confidence: 'UNCERTAIN' },
    };
    expect(fieldMessage(unconfirmed, vi)).toBe(
      'quy tắc MPE (UNCERTAIN) của loại thiết bị chưa được quản trị viên xác nhận',
    );
    // English has no text of its own for it: the API's sentence, which is English.
    expect(fieldMessage(noCycle, en)).toBe(noCycle.message);
    // A rule this app does not word: the API's message.
    expect(fieldMessage({ ...noCycle, constraint: 'readiness.something_new' }, vi)).toBe(noCycle.message);
  });

  it("titles a problem by its code, leaving the API's English detail out; unknown codes as the API wrote them", () => {
    const p = {
      status: 422,
      title: 'Unprocessable Entity',
      code: 'result.environment_out_of_limits',
      detail: 'The environmental conditions do not meet the procedure',
      errors: [{ field: 'environment.temperature', message: '31.5 °C is outside 18 to 28 °C' }],
    };
    expect(problemText(p, vi)).toEqual({
      title: 'Điều kiện môi trường không đáp ứng quy trình',
      detail: undefined,
      fields: [{ field: 'environment.temperature', message: p.errors[0]!.message, translated: false }],
    });
    expect(problemText(p, en)).toMatchObject({ title: 'Unprocessable Entity', detail: p.detail });
    const other = { status: 409, title: 'Conflict', code: 'some.future_code', detail: 'Something new' };
    expect(problemText(other, vi)).toEqual({ title: 'Conflict', detail: 'Something new', fields: [] });
    expect(problemText({ title: 'Failed to fetch' }, vi).title).toBe('Failed to fetch');
  });

  it("names only codes the API has (each library's <lib>.errors.ts), so none is misspelt or dead", () => {
    const libs = fileURLToPath(new URL('../../../../libs', import.meta.url));
    const listed = new Set<string>();
    for (const lib of readdirSync(libs)) {
      let source: string;
      try {
        source = readFileSync(join(libs, lib, 'src', `${lib}.errors.ts`), 'utf8');
      } catch {
        continue;
      }
      for (const m of source.matchAll(/^\s+(?:'([a-z_ ]+(?:\.[a-z_]+)*)'|([a-z_]+)): \{\s*status:/gm))
        listed.add(m[1] ?? m[2]!);
    }
    expect(listed.size).toBeGreaterThan(150);
    for (const bundle of [errorsVi, errorsEn])
      expect(Object.keys(bundle.codes).filter((c) => !listed.has(c))).toEqual([]);
  });
});
