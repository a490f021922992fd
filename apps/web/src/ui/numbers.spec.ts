/// <reference types="jest" />
// jest runs this spec (testMatch apps/**/*.spec.ts); the app itself has no test types.
import { decimalSeparatorOf, significantText } from './numbers';

const intl = (lang: 'vi' | 'en', digits: number, v: number) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumSignificantDigits: digits }).format(v);

describe('numbers without Intl', () => {
  it('has the separator Intl gives each language', () => {
    for (const lang of ['vi', 'en'] as const) {
      const parts = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN').formatToParts(1.5);
      expect(decimalSeparatorOf(lang)).toBe(parts.find((p) => p.type === 'decimal')!.value);
    }
  });

  it('writes significant digits as Intl does: ties, negatives, zeros, large and tiny values', () => {
    const values = [
      0,
      -0,
      1,
      2,
      2.0001,
      1.96,
      1.995,
      0.125,
      -0.125,
      0.0125,
      1.005,
      0.1 + 0.2,
      0.33333,
      12.5,
      99.95,
      999.4,
      999.96,
      1000,
      1234.5,
      -1234.5,
      123456,
      0.000001234,
      0.0000001234,
      4.5e-7,
      2.5e21,
      NaN,
      Infinity,
    ];
    for (const lang of ['vi', 'en'] as const)
      for (const digits of [1, 2, 3, 4, 6])
        for (const v of values)
          expect([v, digits, lang, significantText(v, digits, lang)]).toEqual([v, digits, lang, intl(lang, digits, v)]);
  });

  it('agrees with Intl on 5,000 random values of the sizes the worksheet shows (k, U/MPE, MPE)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5_000; i++) {
      const v = (random() - 0.3) * 10 ** Math.floor(random() * 9 - 6);
      const digits = 1 + Math.floor(random() * 5);
      const lang = random() < 0.5 ? 'vi' : 'en';
      expect([v, digits, lang, significantText(v, digits, lang)]).toEqual([v, digits, lang, intl(lang, digits, v)]);
    }
  });
});
