import { meanOfDecimals, numberToDecimal, subtractDecimals, sumDecimals, trimDecimal } from './decimal-text.js';

describe('decimal text', () => {
  it('sums and subtracts exactly where doubles would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(subtractDecimals('1.002', '1')).toBe('0.002');
    expect(subtractDecimals('1', '1.0025')).toBe('-0.0025');
    expect(subtractDecimals('5.00', '5')).toBe('0.00');
  });

  it('takes the mean exactly when it terminates, else to 20 places', () => {
    expect(meanOfDecimals(['1.002', '1.003', '1.001'])).toBe('1.002');
    expect(meanOfDecimals(['20.05', '20.06'])).toBe('20.055');
    expect(meanOfDecimals(['0', '0', '1'])).toBe('0.33333333333333333333');
    expect(meanOfDecimals(['-1', '-1', '-2'])).toBe('-1.33333333333333333333');
    expect(meanOfDecimals(['-0.1', '0.1'])).toBe('0');
  });

  it('writes doubles without exponent notation', () => {
    expect(numberToDecimal(1e-7)).toBe('0.0000001');
    expect(numberToDecimal(-1.5e-8)).toBe('-0.000000015');
    expect(numberToDecimal(1.25e21)).toBe('1250000000000000000000');
    expect(numberToDecimal(0.0035)).toBe('0.0035');
    expect(trimDecimal('1.2300')).toBe('1.23');
    expect(trimDecimal('100')).toBe('100');
  });
});
