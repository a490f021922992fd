import { convertDifference, convertValue, isPhysicalUnit, sameDimension, UnitMismatchError } from './units.js';

describe('units', () => {
  it('converts where the dimensions agree, without binary noise', () => {
    expect(convertValue(1600, 'kPa', 'MPa')).toBe(1.6);
    expect(convertValue(250, 'g', 'kg')).toBe(0.25);
    expect(convertValue(500, 'mL', 'L')).toBe(0.5);
    expect(convertValue(2, 'm³', 'L')).toBe(2000);
    expect(convertValue(760, 'mmHg', 'kPa')).toBeCloseTo(101.325, 3);
  });

  it('handles °C offsets for values and not for differences', () => {
    expect(convertValue(30, '°C', 'K')).toBe(303.15);
    expect(convertDifference(0.5, '°C', 'K')).toBe(0.5);
    expect(convertDifference(0.1, 'kPa', 'MPa')).toBe(0.0001);
  });

  it('refuses to convert across dimensions', () => {
    expect(() => convertValue(1, 'kg', 'MPa')).toThrow(UnitMismatchError);
    expect(sameDimension('kPa', 'MPa')).toBe(true);
    expect(sameDimension('kg', 'L')).toBe(false);
  });

  it('treats a symbol mathjs does not know as opaque: equal only to itself', () => {
    expect(isPhysicalUnit('%RH')).toBe(false);
    expect(sameDimension('%RH', '%RH')).toBe(true);
    expect(sameDimension('%RH', 'kg')).toBe(false);
    expect(convertValue(3, '%RH', '%RH')).toBe(3);
    expect(() => convertValue(3, '%RH', '%')).toThrow(UnitMismatchError);
  });
});
