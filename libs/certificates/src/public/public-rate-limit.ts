import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENV, RateLimitedError, type Env } from '#libs/core';

interface Window {
  count: number;
  resetAt: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window of this client starts again. */
  resetSeconds: number;
}

/** Past this many tracked addresses, expired windows are swept before a new one is added. */
const SWEEP_ABOVE = 10_000;

/**
 * Rate limit of the public verification routes: PUBLIC_RATE_LIMIT requests per client address per
 * PUBLIC_RATE_LIMIT_WINDOW_MS (a fixed window, counted in this process, shared by every public
 * route, whether the lookup fast path or a controller answers).
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only in Nest 12;
 * Node 20 loads that, jest's module runtime cannot, so nothing using it could be tested.
 */
@Injectable()
export class PublicRateLimiter {
  private readonly windows = new Map<string, Window>();
  readonly limit: number;
  private readonly windowMs: number;

  constructor(@Inject(ENV) env: Env) {
    this.limit = env.PUBLIC_RATE_LIMIT;
    this.windowMs = env.PUBLIC_RATE_LIMIT_WINDOW_MS;
  }

  hit(client: string, now = Date.now()): RateDecision {
    let window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      if (!window && this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(client, window);
    }
    window.count += 1;
    return {
      allowed: window.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
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
      `Too many requests from this address: at most ${d.limit} per ${Math.round(this.windowMs / 1000)} s`,
      d.resetSeconds,
    );
  }

  private sweep(now: number): void {
    for (const [client, window] of this.windows) if (window.resetAt <= now) this.windows.delete(client);
  }
}

/** The limiter as a guard, for the public controllers (429 problem details with Retry-After). */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: PublicRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const decision = this.limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    for (const [name, value] of Object.entries(this.limiter.headers(decision))) res.setHeader(name, value);
    if (!decision.allowed) throw this.limiter.error(decision);
    return true;
  }
}
