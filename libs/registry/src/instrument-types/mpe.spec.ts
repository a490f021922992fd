import fc from 'fast-check';
import { checkMpeRule, mpeAt, normaliseAccuracyClass, type MpeRule } from './mpe.js';

const close = (a: number, b: number, digits = 12): void => expect(a).toBeCloseTo(b, digits);

describe('mpeAt', () => {
  it('takes a percentage of the reading, whatever its sign', () => {
    close(mpeAt({ kind: 'percent_of_reading', p: 0.5 }, { reading: 20 }), 0.1);
    close(mpeAt({ kind: 'percent_of_reading', p: 0.5 }, { reading: -20 }), 0.1);
  });

  it('takes a percentage of full scale, and says so when the full scale is missing', () => {
    close(mpeAt({ kind: 'percent_of_full_scale', p: 1.6 }, { reading: 3, instrument: { rangeMax: 10 } }), 0.16);
    expect(() => mpeAt({ kind: 'percent_of_full_scale', p: 1.6 }, { reading: 3 })).toThrow(
      expect.objectContaining({ code: 'full_scale_required' }),
    );
  });

  it('gives a fixed value, refusing a reading in another unit', () => {
    expect(mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 120, unit: 'mmHg' })).toBe(3);
    expect(mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 120 })).toBe(3);
    // Converted where the dimensions agree (3 mmHg = 0.39997 kPa), refused where they do not.
    close(mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 16, unit: 'kPa' }), 0.399966, 5);
    expect(() => mpeAt({ kind: 'fixed', value: 3, unit: 'mmHg' }, { reading: 16, unit: 'kg' })).toThrow(
      expect.objectContaining({ code: 'unit_mismatch', input: 'point.unit' }),
    );
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
    close(mpeAt(rule, { reading: 200, instrument: { accuracyClass: '0,5' } }), 1);
    close(mpeAt(rule, { reading: 200, instrument: { accuracyClass: '1.0' } }), 2);
    close(mpeAt(rule, { reading: 2, instrument: { rangeMax: 10, accuracyClass: '2.5' } }), 0.25);
    expect(() => mpeAt(rule, { reading: 2 })).toThrow(expect.objectContaining({ code: 'accuracy_class_required' }));
    expect(() => mpeAt(rule, { reading: 2, instrument: { accuracyClass: '0.2' } })).toThrow(
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

describe('mpeAt: the rule kinds the law states', () => {
  const classIII: MpeRule = {
    kind: 'scale_interval_bands',
    classes: {
      III: [
        { upToE: 500, mpeE: 0.5 },
        { upToE: 2000, mpeE: 1 },
        { upToE: 10000, mpeE: 1.5 },
      ],
    },
  };
  // e = 10 g on a scale reading in kg: 500 e = 5 kg, 2000 e = 20 kg.
  const scale = (load: number, unit = 'kg') =>
    mpeAt(classIII, {
      reading: load,
      load,
      unit,
      instrument: { accuracyClass: 'III', scaleInterval: 10, scaleIntervalUnit: 'g' },
    });

  it('bands a class III scale at its edges: 500 e and 2000 e belong to the lower band', () => {
    close(scale(5), 0.005); // 500 e → 0.5 e
    close(scale(5.01), 0.01); // just above 500 e → 1 e
    close(scale(20), 0.01); // 2000 e → 1 e
    close(scale(20.01), 0.015); // just above 2000 e → 1.5 e
    close(scale(20000, 'g'), 10); // the same load in grams: MPE in grams
  });

  it('refuses a load beyond the bands, a missing e, and a class the table lacks', () => {
    expect(() => scale(100.01)).toThrow(expect.objectContaining({ code: 'load_out_of_bands', input: 'point.load' }));
    expect(() => mpeAt(classIII, { reading: 5, unit: 'kg', instrument: { accuracyClass: 'III' } })).toThrow(
      expect.objectContaining({ code: 'scale_interval_required', input: 'instrument.scaleInterval' }),
    );
    expect(() =>
      mpeAt(classIII, {
        reading: 5,
        unit: 'kg',
        instrument: { accuracyClass: 'II', scaleInterval: 1, scaleIntervalUnit: 'g' },
      }),
    ).toThrow(expect.objectContaining({ code: 'accuracy_class_unknown' }));
  });

  it('takes the accuracy class as % of span, in the range unit, converted to the reading unit', () => {
    const gauge = { accuracyClass: '1.6', rangeMin: 0, rangeMax: 1600, rangeUnit: 'kPa' };
    close(mpeAt({ kind: 'accuracy_class_of_span' }, { reading: 0.8, unit: 'MPa', instrument: gauge }), 0.0256);
    close(mpeAt({ kind: 'accuracy_class_of_span' }, { reading: 800, unit: 'kPa', instrument: gauge }), 25.6);
    expect(() => mpeAt({ kind: 'accuracy_class_of_span' }, { reading: 1, unit: 'kg', instrument: gauge })).toThrow(
      expect.objectContaining({ code: 'unit_mismatch', input: 'instrument.rangeUnit' }),
    );
    expect(() =>
      mpeAt(
        { kind: 'accuracy_class_of_span' },
        { reading: 1, unit: 'MPa', instrument: { ...gauge, accuracyClass: 'B' } },
      ),
    ).toThrow(expect.objectContaining({ code: 'accuracy_class_not_numeric' }));
  });

  it('takes a percentage of the span or of the maximum', () => {
    const instrument = { rangeMin: -0.1, rangeMax: 0.9, rangeUnit: 'MPa' };
    close(mpeAt({ kind: 'percent_of_full_scale', p: 1 }, { reading: 0.5, unit: 'MPa', instrument }), 0.01);
    close(
      mpeAt({ kind: 'percent_of_full_scale', p: 1, of: 'maximum' }, { reading: 0.5, unit: 'MPa', instrument }),
      0.009,
    );
  });

  const water: MpeRule = { kind: 'flow_zones', lowerP: 5, upperP: 2, upperPHot: 3, hotAboveCelsius: 30 };
  it('puts Q2 in the upper zone of a water meter and Q1 in the lower; warm water widens the upper zone', () => {
    close(mpeAt(water, { reading: 100, flowPoint: 'Q1' }), 5);
    close(mpeAt(water, { reading: 100, flowPoint: 'Q2' }), 2);
    close(mpeAt(water, { reading: 100, flowPoint: 'Q3', waterTemperature: 30 }), 2);
    close(mpeAt(water, { reading: 100, flowPoint: 'Q3', waterTemperature: 30.5 }), 3);
    expect(() => mpeAt(water, { reading: 100 })).toThrow(expect.objectContaining({ code: 'flow_point_required' }));
  });

  it('checks each quantity of a composite rule with its own rule', () => {
    const taximeter: MpeRule = {
      kind: 'composite',
      quantities: {
        distance: { kind: 'percent_of_reading', p: 2 },
        time: { kind: 'fixed', value: 0.2, unit: 's' },
      },
    };
    close(mpeAt(taximeter, { reading: 1000, unit: 'm', quantity: 'distance' }), 20);
    close(mpeAt(taximeter, { reading: 60, unit: 'min', quantity: 'time' }), 0.2 / 60);
    expect(() => mpeAt(taximeter, { reading: 1 })).toThrow(expect.objectContaining({ code: 'quantity_required' }));
    expect(() => mpeAt(taximeter, { reading: 1, quantity: 'fare' })).toThrow(
      expect.objectContaining({ code: 'quantity_unknown' }),
    );
    // One quantity needs no name.
    close(
      mpeAt({ kind: 'composite', quantities: { volume: { kind: 'percent_of_reading', p: 0.3 } } }, { reading: 20 }),
      0.06,
    );
  });

  it('accepts every new kind in checkMpeRule and names bad bands', () => {
    expect(checkMpeRule(classIII)).toEqual([]);
    expect(checkMpeRule(water)).toEqual([]);
    expect(checkMpeRule({ kind: 'accuracy_class_of_span' })).toEqual([]);
    expect(
      checkMpeRule({
        kind: 'scale_interval_bands',
        classes: {
          III: [
            { upToE: 500, mpeE: 0.5 },
            { upToE: 400, mpeE: 0 },
          ],
        },
      }).map((e) => e.field),
    ).toEqual(['mpeRule.classes.III[1].upToE', 'mpeRule.classes.III[1].mpeE']);
    expect(
      checkMpeRule({ kind: 'composite', quantities: { Distance: { kind: 'percent_of_reading', p: 2 } } }).map(
        (e) => e.field,
      ),
    ).toEqual(['mpeRule.quantities.Distance']);
  });
});
