import { ACCOUNT_AT_ADDRESS_BACKOFF, ADDRESS_BACKOFF, backoffSeconds } from './login-backoff.js';

describe('login back-off', () => {
  it('lets the free allowance through, then doubles the wait from one second', () => {
    const waits = Array.from({ length: 12 }, (_, i) => backoffSeconds(i + 1, ACCOUNT_AT_ADDRESS_BACKOFF));
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]);
  });

  it('stops at the cap, however many failures', () => {
    expect(backoffSeconds(15, ACCOUNT_AT_ADDRESS_BACKOFF)).toBe(512);
    expect(backoffSeconds(16, ACCOUNT_AT_ADDRESS_BACKOFF)).toBe(900);
    expect(backoffSeconds(10_000, ACCOUNT_AT_ADDRESS_BACKOFF)).toBe(900);
    expect(backoffSeconds(100, ADDRESS_BACKOFF)).toBe(0);
    expect(backoffSeconds(101, ADDRESS_BACKOFF)).toBe(1);
    expect(backoffSeconds(1_000_000, ADDRESS_BACKOFF)).toBe(3600);
  });
});
