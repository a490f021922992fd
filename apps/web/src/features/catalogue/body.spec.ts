/// <reference types="jest" />
import { createBody, formOf, proceduresOf, ruleOf, updateBody } from './body';

describe('the type form as the API takes it', () => {
  it('reads procedures one a line, the edition after the last colon', () => {
    expect(proceduresOf('ĐLVN 10:2017\n\n  ĐLVN 33  \nISO 4064-2:2014')).toEqual([
      { code: 'ĐLVN 10', version: '2017' },
      { code: 'ĐLVN 33' },
      { code: 'ISO 4064-2', version: '2014' },
    ]);
  });

  it('reads the MPE rule as a JSON object, empty as none, anything else as invalid', () => {
    expect(ruleOf('')).toEqual({ rule: null });
    expect(ruleOf('{"kind": "fixed", "value": 0.02, "unit": "L"}')).toEqual({
      rule: { kind: 'fixed', value: 0.02, unit: 'L' },
    });
    expect(ruleOf('[1]')).toEqual({ invalid: 'not-object' });
    expect('invalid' in ruleOf('{"kind": ')).toBe(true);
  });

  it('creates with the first cycle when given, and patches only what changed', () => {
    const form = { ...formOf(), code: 'TAXI', nameVi: 'Taximet', capabilityDivisor: '2,5' };
    const cycle = [{ cycleMonths: 12, effectiveFrom: '2024-10-15', legalBasis: 'TT 03/2024' }];
    expect(createBody(form, null, cycle)).toMatchObject({ code: 'TAXI', capabilityDivisor: '2.5', cycles: cycle });
    expect(createBody(form, null, [])).not.toHaveProperty('cycles');
    const before = { ...form, mpeRule: '{"kind":"percent_of_reading","p":1}' };
    expect(updateBody(before, before, { kind: 'percent_of_reading', p: 1 })).toEqual({});
    expect(updateBody(before, { ...before, nameEn: 'Taximeter' }, { kind: 'percent_of_reading', p: 0.5 })).toEqual({
      nameEn: 'Taximeter',
      mpeRule: { kind: 'percent_of_reading', p: 0.5 },
    });
  });
});
