import { afterFailure, DEFAULT_LOCKOUT_POLICY, secondsLocked } from './lockout.js';

describe('login lockout', () => {
  const now = new Date('2030-01-01T08:00:00Z');

  it('locks for 15 minutes at the fifth consecutive failure, and starts counting again', () => {
    let state = { failedLoginCount: 0, lockedUntil: null as Date | null };
    for (let i = 1; i <= 4; i++) {
      state = afterFailure(state.failedLoginCount, now, DEFAULT_LOCKOUT_POLICY);
      expect(state).toEqual({ failedLoginCount: i, lockedUntil: null });
    }
    state = afterFailure(state.failedLoginCount, now, DEFAULT_LOCKOUT_POLICY);
    expect(state).toEqual({ failedLoginCount: 0, lockedUntil: new Date('2030-01-01T08:15:00Z') });
  });

  it('follows another policy', () => {
    expect(afterFailure(1, now, { maxFailures: 2, lockMs: 1000 }).lockedUntil).toEqual(new Date(now.getTime() + 1000));
  });

  it('counts the seconds left, rounding up, and none once the lock has passed', () => {
    expect(secondsLocked(null, now)).toBe(0);
    expect(secondsLocked(new Date(now.getTime() - 1), now)).toBe(0);
    expect(secondsLocked(now, now)).toBe(0);
    expect(secondsLocked(new Date(now.getTime() + 1), now)).toBe(1);
    expect(secondsLocked(new Date(now.getTime() + 900_000), now)).toBe(900);
    expect(secondsLocked(new Date(now.getTime() + 899_001), now)).toBe(900);
  });
});
