/// <reference types="jest" />
// jest runs this spec (testMatch apps/**/*.spec.ts); the app itself has no test types.
import { todayIso } from './today';

describe('todayIso (the calendar date in Viet Nam)', () => {
  it('turns at midnight in Viet Nam, 17:00 UTC', () => {
    expect(todayIso(new Date('2026-03-09T16:59:59.999Z'))).toBe('2026-03-09');
    expect(todayIso(new Date('2026-03-09T17:00:00Z'))).toBe('2026-03-10');
    expect(todayIso(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });

  it('agrees with the time zone database for Asia/Ho_Chi_Minh, hour by hour over two years', () => {
    const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 3600_000 + 61_000) {
      expect(todayIso(new Date(t))).toBe(zone.format(new Date(t)));
    }
  });
});
