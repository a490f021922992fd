import fc from 'fast-check';
import { checkMpeRule, mpeAt, MpeRuleError, normaliseAccuracyClass, type MpeRule } from './mpe.js';

const close = (a: number, b: number): void => expect(a).toBeCloseTo(b, 12);

describe('mpeAt', () => {
  it('takes a percentage of the reading, whatever its sign', () => {
    close(mpeAt({ kind: 'percent_of_reading', p: 0.5 }, { reading: 20 }), 0.1);
    close(mpeAt({ kind: 'percent_of_reading', p: 0.5 }, { reading: -20 }), 0.1);
  });

  it('takes a percentage of full scale, and says so when the full scale is missing', () => {
    close(mpeAt({ kind: 'percent_of_full_scale', p: 1.6 }, { reading: 3, fullScale: 10 }), 0.16);
    expect(() => mpeAt({ kind: 'percent_of_full_scale', p: 1.6 }, { reading: 3 })).toThrow(
      expect.objectContaining({ code: 'full_scale_required' }),
    );
  });

  it('gives a fixed value, refusing a reading in another unit', () => {
    expect(mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 120, unit: 'mmHg' })).toBe(3);
    expect(mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 120 })).toBe(3);
    expect(() => mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 16, unit: 'kPa' })).toThrow(MpeRuleError);
  });

  it('adds a fixed term and a percentage (a + b % of reading), or takes the greater', () => {
    const sum: MpeRule = {
      kind: 'combined',
      terms: [
        { kind: 'fixed', value: 0.02, unit: 'L' },
        { kind: 'percent_of_reading', p: 0.3 },
      ],
    };
    close(mpeAt(sum, { reading: 10 }), 0.05);
    const max: MpeRule = { ...sum, combine: 'max' };
    close(mpeAt(max, { reading: 10 }), 0.03);
    close(mpeAt(max, { reading: 1 }), 0.02);
  });

  it('looks the rule up by accuracy class, forgiving a decimal comma and trailing zeros', () => {
    const rule: MpeRule = {
      kind: 'by_accuracy_class',
      classes: {
        '0.5': { kind: 'percent_of_reading', p: 0.5 },
        '1': { kind: 'percent_of_reading', p: 1 },
        '2.5': { kind: 'percent_of_full_scale', p: 2.5 },
      },
    };
    close(mpeAt(rule, { reading: 200, accuracyClass: '0,5' }), 1);
    close(mpeAt(rule, { reading: 200, accuracyClass: '1.0' }), 2);
    close(mpeAt(rule, { reading: 2, fullScale: 10, accuracyClass: '2.5' }), 0.25);
    expect(() => mpeAt(rule, { reading: 2 })).toThrow(expect.objectContaining({ code: 'accuracy_class_required' }));
    expect(() => mpeAt(rule, { reading: 2, accuracyClass: '0.2' })).toThrow(
      expect.objectContaining({ code: 'accuracy_class_unknown' }),
    );
  });

  it('picks the band of the reading (like the load bands of a scale), boundaries belonging to the lower band', () => {
    // OIML R76-like: 0.5 e up to 500 e, 1 e up to 2000 e, 1.5 e above (e = 10 g here).
    const rule: MpeRule = {
      kind: 'piecewise',
      steps: [
        { upTo: 5000, rule: { kind: 'fixed', value: 5, unit: 'g' } },
        { upTo: 20000, rule: { kind: 'fixed', value: 10, unit: 'g' } },
        { upTo: null, rule: { kind: 'fixed', value: 15, unit: 'g' } },
      ],
    };
    expect(mpeAt(rule, { reading: 5000 })).toBe(5);
    expect(mpeAt(rule, { reading: 5001 })).toBe(10);
    expect(mpeAt(rule, { reading: 60000 })).toBe(15);
    const bounded: MpeRule = { kind: 'piecewise', steps: [{ upTo: 10, rule: { kind: 'fixed', value: 1, unit: 'g' } }] };
    expect(() => mpeAt(bounded, { reading: 11 })).toThrow(expect.objectContaining({ code: 'no_step' }));
  });

  it('is never negative and grows with the reading for a percentage rule (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0.001, max: 10, noNaN: true }),
        (reading, p) => {
          const v = mpeAt({ kind: 'percent_of_reading', p }, { reading });
          expect(v).toBeGreaterThanOrEqual(0);
          expect(mpeAt({ kind: 'percent_of_reading', p }, { reading: Math.abs(reading) * 2 })).toBeGreaterThanOrEqual(
            v,
          );
        },
      ),
    );
  });
});

describe('normaliseAccuracyClass', () => {
  it('treats equal numbers and letter case alike', () => {
    expect(normaliseAccuracyClass(' 0,50 ')).toBe('0.5');
    expect(normaliseAccuracyClass('ii')).toBe('II');
    expect(normaliseAccuracyClass('0.5S')).toBe('0.5S');
  });
});

describe('checkMpeRule', () => {
  it('accepts every kind of rule', () => {
    const rule: MpeRule = {
      kind: 'by_accuracy_class',
      classes: {
        '0.5': {
          kind: 'combined',
          terms: [
            { kind: 'fixed', value: 0.1, unit: 'kPa' },
            { kind: 'percent_of_full_scale', p: 0.5 },
          ],
        },
        III: {
          kind: 'piecewise',
          steps: [
            { upTo: 500, rule: { kind: 'percent_of_reading', p: 1 } },
            { upTo: null, rule: { kind: 'percent_of_reading', p: 2 } },
          ],
        },
      },
    };
    expect(checkMpeRule(rule)).toEqual([]);
  });

  it('names the path of every problem', () => {
    const errors = checkMpeRule({
      kind: 'combined',
      terms: [
        { kind: 'percent_of_reading', p: -1 },
        { kind: 'fixed', value: 1 },
        { kind: 'by_accuracy_class', classes: { '1': { kind: 'magic' } } },
      ],
      combine: 'avg',
    });
    expect(errors.map((e) => e.field)).toEqual([
      'mpeRule.terms[0].p',
      'mpeRule.terms[1].unit',
      'mpeRule.terms[2].classes.1.kind',
      'mpeRule.combine',
    ]);
  });

  it('refuses unknown fields, strings for numbers, bad steps, nested class tables and duplicate classes', () => {
    expect(checkMpeRule({ kind: 'percent_of_reading', p: '0.5' }).map((e) => e.field)).toEqual(['mpeRule.p']);
    expect(checkMpeRule({ kind: 'percent_of_reading', p: 1, extra: 1 }).map((e) => e.field)).toEqual(['mpeRule.extra']);
    expect(
      checkMpeRule({
        kind: 'piecewise',
        steps: [
          { upTo: null, rule: { kind: 'percent_of_reading', p: 1 } },
          { upTo: 5, rule: { kind: 'percent_of_reading', p: 1 } },
          { upTo: 4, rule: { kind: 'percent_of_reading', p: 1 } },
        ],
      }).map((e) => e.field),
    ).toEqual(['mpeRule.steps[0].upTo', 'mpeRule.steps[2].upTo']);
    expect(
      checkMpeRule({
        kind: 'by_accuracy_class',
        classes: { '1': { kind: 'by_accuracy_class', classes: { '1': { kind: 'percent_of_reading', p: 1 } } } },
      }).map((e) => e.field),
    ).toEqual(['mpeRule.classes.1']);
    expect(
      checkMpeRule({
        kind: 'by_accuracy_class',
        classes: { '0.5': { kind: 'percent_of_reading', p: 1 }, '0,5': { kind: 'percent_of_reading', p: 1 } },
      }).map((e) => e.field),
    ).toEqual(['mpeRule.classes.0,5']);
    expect(checkMpeRule('5%')).toEqual([{ field: 'mpeRule', message: 'mpeRule must be an object with a kind' }]);
  });
});
