/// <reference types="jest" />
// jest runs this spec (testMatch apps/**/*.spec.ts); the app itself has no test types.
import { parseDayMonthYear } from './day-month-year';

describe('parseDayMonthYear (what the date fields accept)', () => {
  it('reads day first, as dates are written in Viet Nam', () => {
    expect(parseDayMonthYear('05/03/2026')).toBe('2026-03-05');
    expect(parseDayMonthYear('25/12/2026')).toBe('2026-12-25');
    expect(parseDayMonthYear(' 5.3.2026 ')).toBe('2026-03-05');
    expect(parseDayMonthYear('5-3-2026')).toBe('2026-03-05');
  });

  it('refuses a day that does not exist and the month-first order', () => {
    expect(parseDayMonthYear('31/02/2026')).toBeNull();
    expect(parseDayMonthYear('12/25/2026')).toBeNull(); // en-US order: month 25
    expect(parseDayMonthYear('29/02/2025')).toBeNull();
    expect(parseDayMonthYear('29/02/2028')).toBe('2028-02-29');
  });

  it('refuses what is not a whole date', () => {
    for (const text of ['', '2026-03-05', '05/03/26', '05/03', 'hôm nay']) expect(parseDayMonthYear(text)).toBeNull();
  });
});
