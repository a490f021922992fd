import { recallPeriod } from './recall-period.js';

describe('recallPeriod', () => {
  it.each([
    [-400, 'overdue'],
    [-1, 'overdue'],
    [0, 'due_7'],
    [7, 'due_7'],
    [8, 'due_30'],
    [30, 'due_30'],
    [31, 'due_60'],
    [60, 'due_60'],
    [61, null],
    [365, null],
  ])('%i days before the due date → %s', (days, period) => {
    expect(recallPeriod(days)).toBe(period);
  });

  it('refuses a fraction of a day (a due date is a calendar date)', () => {
    expect(() => recallPeriod(1.5)).toThrow(RangeError);
  });
});
