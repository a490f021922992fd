/// <reference types="jest" />
import { dueState } from './due-state';

describe('dueState', () => {
  const today = '2026-12-01';

  it('says overdue from the day after the due date, due soon up to the window, in date after it', () => {
    expect(dueState('2026-11-30', 30, today)).toBe('overdue');
    expect(dueState('2026-12-01', 30, today)).toBe('soon'); // due today is not yet overdue
    expect(dueState('2026-12-31', 30, today)).toBe('soon');
    expect(dueState('2027-01-01', 30, today)).toBe('ok');
    expect(dueState('2027-01-30', 60, today)).toBe('soon');
  });

  it('counts across a month end and a leap day by the calendar', () => {
    expect(dueState('2028-03-01', 1, '2028-02-28')).toBe('ok'); // 29 February lies between
    expect(dueState('2028-02-29', 1, '2028-02-28')).toBe('soon');
  });

  it('has no state without a due date', () => {
    expect(dueState(null, 30, today)).toBe('none');
    expect(dueState(undefined, 30, today)).toBe('none');
  });
});
