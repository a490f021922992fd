import { wholeMonths } from './statistics.repository.js';

describe('wholeMonths (the month rows a period reads; its other days come from the day rows)', () => {
  it('a quarter and a year are whole months', () => {
    expect(wholeMonths('2025-07-01', '2025-09-30')).toEqual(['2025-07-01', '2025-10-01']);
    expect(wholeMonths('2025-01-01', '2025-12-31')).toEqual(['2025-01-01', '2026-01-01']);
  });
  it('partial months at either end are left to the days', () => {
    expect(wholeMonths('2025-01-15', '2025-04-10')).toEqual(['2025-02-01', '2025-04-01']);
    expect(wholeMonths('2024-02-10', '2024-02-29')).toEqual(['2024-03-01', '2024-03-01']);
  });
  it('a period within one month has no whole month (start not before end)', () => {
    const [start, end] = wholeMonths('2025-07-05', '2025-07-20');
    expect(start >= end).toBe(true);
  });
});
