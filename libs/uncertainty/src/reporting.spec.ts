import { UncertaintyInputError } from './errors.js';
import { roundExpandedUncertainty, roundResultToUncertainty, roundToDecimalPlaces } from './reporting.js';

/**
 * Rule under test (GUM 7.2.6; EA-4/02 §6): U is given with at most two significant digits using
 * ordinary rounding, unless ordinary rounding lowers U by more than 5 %, in which case U is rounded up.
 */
describe('roundExpandedUncertainty — two significant digits (default)', () => {
  it.each([
    // [U, expected text, decimal places, why]
    [0.01234, '0.012', 3, '0.012 is 2.8 % lower than 0.01234: ordinary rounding stands (not "0.013")'],
    [0.01049, '0.010', 3, '4.7 % lower: still ordinary; trailing zero kept as a significant digit'],
    [1.049, '1.0', 1, '4.67 % lower'],
    [1.0499, '1.0', 1, '4.75 % lower — close to the largest possible lowering at 2 digits'],
    [10.4999, '10', 0, '4.76 % lower'],
    [0.0031000000000000003, '0.0031', 4, 'binary noise does not leak into the text'],
    [0.0125, '0.013', 3, 'tie rounds away from zero (conservative for an uncertainty)'],
    [0.0996, '0.10', 2, 'carry to a new decade keeps two significant digits, not "0.100"'],
    [99.5, '100', -1, 'carry at the tens: two significant digits "10" × 10'],
    [1234.5, '1200', -2, 'large U: rounded at the hundreds'],
    [1.234e-7, '0.00000012', 8, 'tiny U: fixed-point text, no exponent'],
    [67.11462860275108, '67', 0, 'GUM H.1 U95 computed without rounded intermediates'],
    [58.52349955359813, '59', 0, 'EA-4/02 S2 U = 2 × 29.26 mg'],
  ])('%p → %p (decimalPlaces %p): %s', (U, text, places) => {
    const r = roundExpandedUncertainty(U);
    expect(r.text).toBe(text);
    expect(r.value).toBe(Number(text));
    expect(r.decimalPlaces).toBe(places);
    expect(r.significantDigits).toBe(2);
    expect(r.roundedUp).toBe(false);
  });

  it('the 5 % branch cannot fire at two significant digits: the worst case lowers U by < 4.77 %', () => {
    // Largest lowering is just below 10.5·10ᵉ → 10·10ᵉ: (10.5 − 10)/10.5 = 4.76 %.
    const worst = roundExpandedUncertainty(10.499999999999);
    expect(worst.text).toBe('10');
    expect(worst.roundedUp).toBe(false);
    expect((10.499999999999 - worst.value) / 10.499999999999).toBeLessThan(0.05);
  });
});

describe('roundExpandedUncertainty — one significant digit exercises the 5 % rule', () => {
  it.each([
    [0.149, '0.2', true, 'ordinary 0.1 would be 32.9 % lower → round up'],
    [0.10527, '0.2', true, 'ordinary 0.1 would be 5.0003 % lower → round up'],
    [0.105263, '0.1', false, 'ordinary 0.1 is 4.99997 % lower → keep (5 % is "more than", exclusive)'],
    [0.104, '0.1', false, '3.8 % lower → keep'],
    [0.16, '0.2', false, 'ordinary rounding already rounds up'],
    [0.94, '0.9', false, '4.3 % lower → keep'],
    [0.96, '1', false, 'carry to the next decade'],
    [2.2, '3', true, '2 would be 9.1 % lower → 3'],
  ])('%p → %p (roundedUp %p): %s', (U, text, up) => {
    const r = roundExpandedUncertainty(U, { significantDigits: 1 });
    expect(r.text).toBe(text);
    expect(r.roundedUp).toBe(up);
  });
});

describe('roundExpandedUncertainty — alwaysRoundUp', () => {
  it('rounds up whenever a non-zero digit is discarded', () => {
    expect(roundExpandedUncertainty(0.01234, { alwaysRoundUp: true })).toMatchObject({
      text: '0.013',
      roundedUp: true,
    });
    expect(roundExpandedUncertainty(0.012, { alwaysRoundUp: true })).toMatchObject({ text: '0.012', roundedUp: false });
    expect(roundExpandedUncertainty(0.0991, { alwaysRoundUp: true })).toMatchObject({ text: '0.10', roundedUp: true });
  });
});

describe('roundExpandedUncertainty — invalid input', () => {
  it.each([0, -0.1, Number.NaN, Infinity])('rejects U = %p', (U) => {
    expect(() => roundExpandedUncertainty(U)).toThrow(UncertaintyInputError);
  });
  it('rejects 3 significant digits from untyped input', () => {
    expect(() => roundExpandedUncertainty(1.234, { significantDigits: 3 as 2 })).toThrow(UncertaintyInputError);
  });
});

describe('roundResultToUncertainty — result to the decimal place of the rounded U', () => {
  it.each([
    [10.000253, 0.000029, '10.000253'],
    [100.0147, 0.13, '100.01'],
    [1234.6, 25, '1235'],
    [1234.6, 130, '1230'],
    [10.00025, 0.000029, '10.000250'], // stated to the place of U, zero-padded
    [50.000838, 0.000068, '50.000838'], // GUM H.1.6: l = (50.000 838 ± 0.000 068) mm
    [1.005, 0.13, '1.01'], // decimal tie: Number.prototype.toFixed would give "1.00"
    [-0.045, 0.13, '-0.05'], // ties away from zero for negative errors too
    [-0.004, 0.13, '0.00'], // no "-0.00"
  ])('%p with U = %p → %p', (result, U, expected) => {
    const rounded = roundResultToUncertainty(result, roundExpandedUncertainty(U));
    expect(rounded.text).toBe(expected);
    expect(rounded.value).toBe(Number(expected));
  });

  it('rejects a non-finite result', () => {
    expect(() => roundResultToUncertainty(Number.NaN, { decimalPlaces: 2 })).toThrow(UncertaintyInputError);
  });

  it('roundToDecimalPlaces reports k with two decimals', () => {
    expect(roundToDecimalPlaces(2.119905299221254, 2).text).toBe('2.12');
    expect(roundToDecimalPlaces(2, 2).text).toBe('2.00');
  });
});
