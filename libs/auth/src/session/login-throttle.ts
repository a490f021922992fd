import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ENV, RateLimitedError, RateLimitRedis, type Env } from '#libs/core';
import {
  ACCOUNT_AT_ADDRESS_BACKOFF,
  ADDRESS_BACKOFF,
  backoffSeconds,
  FAILURES_KEPT_SECONDS,
  type BackoffRule,
} from './login-backoff.js';

interface Limiters {
  /** Every login attempt per address (LOGIN_RATE_LIMIT per window): a flood is refused outright. */
  attempts: RateLimiterAbstract;
  /** Failures per key, counted without limit for FAILURES_KEPT_SECONDS. */
  failures: RateLimiterAbstract;
  /** The back-off in force per key (rate-limiter-flexible's block). */
  waits: RateLimiterAbstract;
}

const NEVER_REFUSED = 1_000_000_000;

/**
 * Login throttling, after rate-limiter-flexible's "login endpoint protection" pattern: no account is
 * ever locked for everyone. Keys are the client address (`a:<address>`) and the account name at that
 * address (`u:<username>@<address>`), so 100 wrong passwords for an account from other addresses
 * slow those addresses down and never the owner at theirs; a success clears the account's key at
 * its address. Counted in Redis under the queue prefix when REDIS_URL is set, on core's one rate-limit
 * connection (RateLimitRedis; every API process shares the counts; while Redis is unreachable each
 * process counts on its own), in memory otherwise.
 */
@Injectable()
export class LoginThrottle {
  private readonly limiters: Limiters;
  private readonly windowSeconds: number;

  constructor(
    @Inject(ENV) private readonly env: Env,
    redis: RateLimitRedis,
  ) {
    this.windowSeconds = Math.max(1, Math.ceil(env.LOGIN_RATE_LIMIT_WINDOW_MS / 1000));
    const shapes = {
      attempts: { points: env.LOGIN_RATE_LIMIT, duration: this.windowSeconds },
      failures: { points: NEVER_REFUSED, duration: FAILURES_KEPT_SECONDS },
      waits: { points: 1, duration: 1 },
    };
    const memory = (name: keyof Limiters) => new RateLimiterMemory({ ...shapes[name], keyPrefix: name });
    const client = redis.client;
    if (!client) {
      this.limiters = { attempts: memory('attempts'), failures: memory('failures'), waits: memory('waits') };
      return;
    }
    const stored = (name: keyof Limiters) =>
      new RateLimiterRedis({
        ...shapes[name],
        storeClient: client,
        keyPrefix: `${redis.prefix}:login-${name}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory(name),
      });
    this.limiters = { attempts: stored('attempts'), failures: stored('failures'), waits: stored('waits') };
  }

  /**
   * Before the password is checked: 429 while this address, or this account at this address, is
   * in back-off, or when the address has used up its attempts for the window.
   */
  async admit(address: string, username: string): Promise<void> {
    const waits = await Promise.all(keys(address, username).map((k) => this.limiters.waits.get(k)));
    const waitMs = Math.max(0, ...waits.map((w) => (w && w.consumedPoints > 1 ? w.msBeforeNext : 0)));
    if (waitMs > 0)
      throw new RateLimitedError(
        'auth.login_throttled',
        `Too many failed logins from this address; try again in ${Math.ceil(waitMs / 1000)} s`,
        waitMs / 1000,
      );
    try {
      await this.limiters.attempts.consume(address);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw new RateLimitedError(
        'auth.login_rate_limited',
        `Too many login attempts from this address: at most ${this.env.LOGIN_RATE_LIMIT} per ${this.windowSeconds} s`,
        e.msBeforeNext / 1000,
      );
    }
  }

  /** A wrong password (or an unknown name): counts against the address and the account there. */
  async failed(address: string, username: string): Promise<void> {
    const [byAddress, byAccount] = keys(address, username);
    await Promise.all([this.count(byAddress, ADDRESS_BACKOFF), this.count(byAccount, ACCOUNT_AT_ADDRESS_BACKOFF)]);
  }

  /** The right password: the account's failures at this address are forgotten (the address's stay). */
  async succeeded(address: string, username: string): Promise<void> {
    const [, byAccount] = keys(address, username);
    await Promise.all([this.limiters.failures.delete(byAccount), this.limiters.waits.delete(byAccount)]);
  }

  private async count(key: string, rule: BackoffRule): Promise<void> {
    const res = await this.limiters.failures.consume(key);
    const wait = backoffSeconds(res.consumedPoints, rule);
    if (wait > 0) await this.limiters.waits.block(key, wait);
  }
}

function keys(address: string, username: string): [string, string] {
  return [`a:${address}`, `u:${username.toLowerCase()}@${address}`];
}
