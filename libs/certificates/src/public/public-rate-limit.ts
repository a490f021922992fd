import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ENV, QUEUE_BACKEND, RateLimitedError, type Env, type QueueBackend } from '#libs/core';

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
 * The connection is the limiter's own, not one of the queues': BullMQ's clients carry blocking
 * commands and bulk writes (10,000 jobs at once on a large acceptance) that a lookup would wait behind.
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only in Nest 12;
 * Node 20 loads that, jest's module runtime cannot, so nothing using it could be tested.
 */
@Injectable()
export class PublicRateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Certificates');
  readonly limit: number;
  private readonly windowSeconds: number;
  private readonly redis?: Redis;
  private readonly store: RateLimiterAbstract;
  private redisDown = false;

  constructor(
    @Inject(ENV) env: Env,
    @Inject(QUEUE_BACKEND) backend: { options: Pick<QueueBackend['options'], 'prefix'> },
  ) {
    this.limit = env.PUBLIC_RATE_LIMIT;
    this.windowSeconds = Math.max(1, Math.ceil(env.PUBLIC_RATE_LIMIT_WINDOW_MS / 1000));
    const memory = new RateLimiterMemory({ points: this.limit, duration: this.windowSeconds, keyPrefix: '' });
    if (!env.REDIS_URL) {
      this.store = memory;
      return;
    }
    this.redis = new Redis(env.REDIS_URL, {
      lazyConnect: true,
      // Fail at once while disconnected (the insurance limiter answers) instead of queueing the request.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Concurrent lookups share one round trip to Redis.
      enableAutoPipelining: true,
      connectionName: 'tdc-public-rate-limit',
      disconnectTimeout: 200,
    });
    this.redis.on('error', (e: Error) => {
      if (this.redisDown) return;
      this.redisDown = true;
      this.logger.warn(`public rate limit: Redis unavailable (${e.message}); counting in this process meanwhile`);
    });
    this.redis.on('ready', () => (this.redisDown = false));
    const shared = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${backend.options.prefix ?? 'tdc'}:public-rate`,
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

  async onModuleInit(): Promise<void> {
    await this.redis?.connect().catch(() => undefined); // the 'error' listener has said why
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis?.disconnect());
    else this.redis.disconnect(); // stops reconnecting to a Redis that cannot be reached
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
