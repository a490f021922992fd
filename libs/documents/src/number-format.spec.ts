import {
  formatLimit,
  formatNumber,
  formatReading,
  formatToUncertainty,
  formatUncertainty,
  parseDecimal,
  resolutionDecimals,
  roundDecimal,
  roundSignificant,
} from './number-format.js';

const d = (text: string) => parseDecimal(text)!;

describe('parseDecimal', () => {
  it('reads the point, the comma, signs and exponents exactly', () => {
    expect(parseDecimal('1.2000')).toEqual({ negative: false, coefficient: 12000n, scale: 4 });
    expect(parseDecimal('−0,0040')).toEqual({ negative: true, coefficient: 40n, scale: 4 });
    expect(parseDecimal('1.2E-3')).toEqual({ negative: false, coefficient: 12n, scale: 4 });
    expect(parseDecimal('5e2')).toEqual({ negative: false, coefficient: 500n, scale: 0 });
    expect(parseDecimal('-0')).toEqual({ negative: false, coefficient: 0n, scale: 0 });
  });

  it('refuses what is not a number', () => {
    for (const text of ['', 'KPH', '< LOQ', '1.2.3', '1 000', '.', 'III']) expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('rounding', () => {
  it('rounds half away from zero, or up in magnitude', () => {
    expect(formatNumber('0', 'en')).toBe('0');
    expect(roundDecimal(d('0.125'), 2)).toEqual(d('0.13'));
    expect(roundDecimal(d('-0.125'), 2)).toEqual(d('-0.13'));
    expect(roundDecimal(d('0.1201'), 2, 'up')).toEqual(d('0.13'));
    expect(roundDecimal(d('1234'), -2)).toEqual(d('1200'));
    expect(roundDecimal(d('-0.004'), 2)).toEqual({ negative: false, coefficient: 0n, scale: 2 });
  });

  it('keeps a carry within the significant digits asked for', () => {
    expect(roundSignificant(d('0.0996'), 2)).toEqual(d('0.10'));
    expect(roundSignificant(d('9.996'), 3)).toEqual(d('10.0'));
    expect(roundSignificant(d('0.5'), 2)).toEqual(d('0.5'));
  });
});

describe('formatNumber', () => {
  it('uses the comma in Vietnamese and the point in English', () => {
    expect(formatNumber('30.5', 'vi')).toBe('30,5');
    expect(formatNumber('30,5', 'en')).toBe('30.5');
    expect(formatNumber('-0.0040', 'vi')).toBe('−0,0040');
  });

  it('keeps the digits recorded but never more than 8 significant digits', () => {
    expect(formatNumber('23.40', 'vi')).toBe('23,40');
    expect(formatNumber('0.40666666666666666667', 'vi')).toBe('0,40666667');
    expect(formatNumber('100.0333333', 'en')).toBe('100.03333');
    expect(formatNumber('1.2E-3', 'vi')).toBe('0,0012');
  });

  it('leaves text that is not a number alone', () => {
    expect(formatNumber('KPH', 'vi')).toBe('KPH');
  });
});

describe('resolutionDecimals', () => {
  it('is the decimal place of the last non-zero digit', () => {
    expect(resolutionDecimals('0.01')).toBe(2);
    expect(resolutionDecimals('0.0001')).toBe(4);
    expect(resolutionDecimals('0.010000')).toBe(2);
    expect(resolutionDecimals('0.5')).toBe(1);
    expect(resolutionDecimals('1')).toBe(0);
    expect(resolutionDecimals('10')).toBe(0);
    expect(resolutionDecimals('0')).toBeUndefined();
    expect(resolutionDecimals(null)).toBeUndefined();
  });
});

describe('formatReading', () => {
  it('prints a reading to the resolution, padding as well as rounding', () => {
    expect(formatReading('1.2', 'vi', { resolution: '0.0001' })).toBe('1,2000');
    expect(formatReading('0.40666666666666666667', 'vi', { resolution: '0.01' })).toBe('0,41');
    expect(formatReading('100.0333333', 'en', { resolution: '0.01' })).toBe('100.03');
    expect(formatReading('99.5', 'vi', { resolution: '1' })).toBe('100');
  });

  it('gives a mean one digit more when the procedure says so', () => {
    expect(formatReading('0.40666666666666666667', 'vi', { resolution: '0.01', extraDigit: true })).toBe('0,407');
  });

  it('prints the recorded digits when the resolution is unknown', () => {
    expect(formatReading('1.20', 'vi')).toBe('1,20');
    expect(formatReading('1.20', 'vi', { resolution: null })).toBe('1,20');
  });
});

describe('formatUncertainty and formatToUncertainty', () => {
  it('prints U with at most two significant digits, never smaller than it is', () => {
    expect(formatUncertainty('0.012', 'vi')).toBe('0,012');
    expect(formatUncertainty('0.10', 'en')).toBe('0.10');
    expect(formatUncertainty('0.1234', 'vi')).toBe('0,13');
  });

  it('rounds the result to the decimal place of U', () => {
    expect(formatToUncertainty('100.0147', '0.13', 'vi')).toBe('100,01');
    expect(formatToUncertainty('-0.004', '0.012', 'vi')).toBe('−0,004');
    expect(formatToUncertainty('0.1', '0.012', 'vi')).toBe('0,100');
    expect(formatToUncertainty('3.46', '1.2', 'en')).toBe('3.5');
  });
});

describe('formatLimit', () => {
  it('rounds an MPE outward to one place beyond the resolution', () => {
    expect(formatLimit('±0.10025', 'vi', { resolutionDecimals: 2 })).toBe('±0,101');
    expect(formatLimit('±0.10025', 'en', { resolutionDecimals: 3 })).toBe('±0.1003');
  });

  it('prints a limit with fewer digits as stated, without trailing zeros', () => {
    expect(formatLimit('±0.5', 'vi', { resolutionDecimals: 2 })).toBe('±0,5');
    expect(formatLimit('±0.500000', 'vi', { resolutionDecimals: 3 })).toBe('±0,5');
    expect(formatLimit('≥ 40', 'vi')).toBe('≥ 40');
  });

  it('falls back to three significant digits, outward, without a resolution', () => {
    expect(formatLimit('±0.10025', 'vi')).toBe('±0,101');
    expect(formatLimit('+/-25.64', 'vi')).toBe('±25,7');
  });

  it('leaves a requirement that is not a number alone', () => {
    expect(formatLimit('KPH', 'vi')).toBe('KPH');
  });
});
