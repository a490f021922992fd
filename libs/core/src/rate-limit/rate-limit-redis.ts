import { Inject, Injectable, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import type { QueueBackend } from '../queue/queue-backend.js';
import { QUEUE_BACKEND, QueueModule } from '../queue/queue.module.js';

/**
 * The one Redis connection of the rate limiters (auth's login throttle, certificates' public lookup
 * limit), when REDIS_URL is set; without it `client` is undefined and they count in memory. Their own
 * connection, not one of the queues': BullMQ's clients carry blocking commands and bulk writes that a
 * login or a lookup would wait behind. It fails at once while disconnected (each limiter's insurance
 * limiter answers, counting in this process) instead of queueing the request.
 */
@Injectable()
export class RateLimitRedis implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimits');
  /** The connection; undefined without REDIS_URL. */
  readonly client?: Redis;
  /** The installation's key prefix (the queue prefix), so installations sharing a Redis do not mix counts. */
  readonly prefix: string;
  private down = false;

  constructor(
    @Inject(ENV) env: Pick<Env, 'REDIS_URL'>,
    @Inject(QUEUE_BACKEND) backend: { options: Pick<QueueBackend['options'], 'prefix'> },
  ) {
    this.prefix = backend.options.prefix ?? 'tdc';
    if (!env.REDIS_URL) return;
    this.client = new Redis(env.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Concurrent requests share one round trip to Redis.
      enableAutoPipelining: true,
      connectionName: `tdc-rate-limits:${this.prefix}`,
      disconnectTimeout: 200,
    });
    this.client.on('error', (e: Error) => {
      if (this.down) return;
      this.down = true;
      this.logger.warn(`rate limits: Redis unavailable (${e.message}); each process counts on its own meanwhile`);
    });
    this.client.on('ready', () => (this.down = false));
  }

  async onModuleInit(): Promise<void> {
    await this.client?.connect().catch(() => undefined); // the 'error' listener has said why
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.client) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client?.disconnect());
    else this.client.disconnect(); // stops reconnecting to a Redis that cannot be reached
  }
}

/** Imported by each library that rate-limits: one module, so the process holds one connection. */
@Module({ imports: [QueueModule], providers: [RateLimitRedis], exports: [RateLimitRedis] })
export class RateLimitRedisModule {}
