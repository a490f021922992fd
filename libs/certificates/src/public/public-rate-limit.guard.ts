import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENV, RateLimitedError, type Env } from '#libs/core';

interface Window {
  count: number;
  resetAt: number;
}

/** Past this many tracked addresses, expired windows are swept before a new one is added. */
const SWEEP_ABOVE = 10_000;

/**
 * Rate limit of the public verification routes: PUBLIC_RATE_LIMIT requests per client address per
 * PUBLIC_RATE_LIMIT_WINDOW_MS (a fixed window, counted in this process, shared by every public
 * route). Past it: 429 problem details with Retry-After. The rest of the API is not limited here.
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only in Nest 12;
 * Node 20 loads that, jest's module runtime cannot, so nothing using it could be tested.
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, Window>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(@Inject(ENV) env: Env) {
    this.limit = env.PUBLIC_RATE_LIMIT;
    this.windowMs = env.PUBLIC_RATE_LIMIT_WINDOW_MS;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const now = Date.now();
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      if (!window && this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(client, window);
    }
    window.count += 1;
    const seconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    res.setHeader('RateLimit-Limit', String(this.limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, this.limit - window.count)));
    res.setHeader('RateLimit-Reset', String(seconds));
    if (window.count > this.limit) {
      throw new RateLimitedError(
        'public.rate_limited',
        `Too many requests from this address: at most ${this.limit} per ${Math.round(this.windowMs / 1000)} s`,
        seconds,
      );
    }
    return true;
  }

  private sweep(now: number): void {
    for (const [client, window] of this.windows) if (window.resetAt <= now) this.windows.delete(client);
  }
}
