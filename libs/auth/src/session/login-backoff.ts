/**
 * Exponential back-off of failed logins. Failures are counted per key (an address, or an account
 * at an address) for FAILURES_KEPT_SECONDS; within a rule's free allowance nothing happens, then each
 * failure makes the key wait 1 s, 2 s, 4 s, … up to the rule's cap before the next attempt.
 */
export interface BackoffRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The longest wait, in seconds. */
  maxSeconds: number;
}

/**
 * One account from one address: a person mistyping gets 5 tries, then waits a second, then two…;
 * a guesser at that address is held to about one guess per 15 minutes after 15 failures.
 */
export const ACCOUNT_AT_ADDRESS_BACKOFF: BackoffRule = { free: 5, maxSeconds: 15 * 60 };

/** Any account from one address (credential stuffing): a whole office behind one NAT has room. */
export const ADDRESS_BACKOFF: BackoffRule = { free: 100, maxSeconds: 60 * 60 };

export const FAILURES_KEPT_SECONDS = 24 * 3600;

/** Seconds to wait after the `failures`-th failure: 0 within the free allowance, then 1, 2, 4, … ≤ cap. */
export function backoffSeconds(failures: number, rule: BackoffRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxSeconds, 2 ** Math.min(30, failures - rule.free - 1));
}
