import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ENV, RateLimitedError, RateLimitRedis, type Env } from '#libs/core';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window of this client starts again. */
  resetSeconds: number;
}

/**
 * Rate limit of the public verification routes: PUBLIC_RATE_LIMIT requests per client address per
 * PUBLIC_RATE_LIMIT_WINDOW_MS (a fixed window from the client's first request, counted in whole
 * seconds, rounded up), shared by every public route, whether the lookup fast path or a controller
 * answers. rate-limiter-flexible counts:
 *
 * - without REDIS_URL, in this process (RateLimiterMemory);
 * - with REDIS_URL, in Redis under the queue prefix (`<prefix>:public-rate:<address>`), so every API
 *   process of one installation shares the count. A client over the limit is then refused from
 *   memory until its window ends, without asking Redis again; while Redis cannot be reached, or does
 *   not answer within PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS (RLWrapperTimeouts), this process counts on
 *   its own (the insurance limiter) rather than refusing, letting everyone in, or making the request
 *   wait: every public lookup awaits the limiter, so a Redis stall was the lookup's own latency
 *   (p99 14.6–135 ms at 500 req/s on the shared development machine before the bound, bench/README.md).
 *
 * The connection is core's RateLimitRedis, shared with the login throttle and not one of the queues':
 * BullMQ's clients carry blocking commands and bulk writes (10,000 jobs at once on a large
 * acceptance) that a lookup would wait behind.
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only in Nest 12;
 * Node 20 loads that, jest's module runtime cannot, so nothing using it could be tested.
 */
@Injectable()
export class PublicRateLimiter {
  readonly limit: number;
  private readonly windowSeconds: number;
  private readonly store: RateLimiterAbstract;

  constructor(@Inject(ENV) env: Env, redis: RateLimitRedis) {
    this.limit = env.PUBLIC_RATE_LIMIT;
    this.windowSeconds = Math.max(1, Math.ceil(env.PUBLIC_RATE_LIMIT_WINDOW_MS / 1000));
    const memory = new RateLimiterMemory({ points: this.limit, duration: this.windowSeconds, keyPrefix: '' });
    if (!redis.client) {
      this.store = memory;
      return;
    }
    const shared = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.prefix}:public-rate`,
      points: this.limit,
      duration: this.windowSeconds,
      inMemoryBlockOnConsumed: this.limit + 1,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
    this.store = new RLWrapperTimeouts({
      limiter: shared,
      timeoutMs: env.PUBLIC_RATE_LIMIT_REDIS_TIMEOUT_MS,
      insuranceLimiter: memory,
    });
  }

  /** Counts one request of `client`; refused past the limit until its window ends. */
  async hit(client: string): Promise<RateDecision> {
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await this.store.consume(client);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      res = e;
      allowed = false;
    }
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, res.remainingPoints ?? 0),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  headers(d: RateDecision): Record<string, string> {
    return {
      'RateLimit-Limit': String(d.limit),
      'RateLimit-Remaining': String(d.remaining),
      'RateLimit-Reset': String(d.resetSeconds),
    };
  }

  error(d: RateDecision): RateLimitedError {
    return new RateLimitedError(
      'public.rate_limited',
      `Too many requests from this address: at most ${d.limit} per ${this.windowSeconds} s`,
      d.resetSeconds,
    );
  }
}

/** The limiter as a guard, for the public controllers (429 problem details with Retry-After). */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: PublicRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const decision = await this.limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    for (const [name, value] of Object.entries(this.limiter.headers(decision))) res.setHeader(name, value);
    if (!decision.allowed) throw this.limiter.error(decision);
    return true;
  }
}
