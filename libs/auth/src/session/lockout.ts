/**
 * Lockout after repeated failed logins: guessing a password becomes slow without a reachable
 * account being blocked for long. A success resets the count.
 */
export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

/** Injection token: the policy is a provider so that a deployment or a test may give another. */
export const LOCKOUT_POLICY = Symbol('LOCKOUT_POLICY');

/** Seconds until a lock ends (at least 1), or 0 when not locked at `now`. */
export function secondsLocked(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil || lockedUntil <= now) return 0;
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The account's state after one more failure: the count that reaches the limit locks it and starts again at 0. */
export function afterFailure(
  failedCount: number,
  now: Date,
  policy: LockoutPolicy,
): { failedLoginCount: number; lockedUntil: Date | null } {
  const count = failedCount + 1;
  return count >= policy.maxFailures
    ? { failedLoginCount: 0, lockedUntil: new Date(now.getTime() + policy.lockMs) }
    : { failedLoginCount: count, lockedUntil: null };
}
