import { isCalendarDate } from './calendar-date.js';

describe('isCalendarDate', () => {
  it('accepts real days in YYYY-MM-DD', () => {
    for (const d of ['2025-01-01', '2024-02-29', '2025-12-31']) expect(isCalendarDate(d)).toBe(true);
  });
  it('refuses days that do not exist and other shapes', () => {
    for (const d of [
      '2025-02-29',
      '2025-02-30',
      '0000-01-01', // no year 0 in PostgreSQL's calendar: a cast would fail (500)
      '2025-13-01',
      '2025-00-10',
      '31/12/2025',
      '2025-1-1',
      '2025-01-01T00:00:00Z',
      '',
      20250101,
      null,
    ]) {
      expect(isCalendarDate(d)).toBe(false);
    }
  });
});
