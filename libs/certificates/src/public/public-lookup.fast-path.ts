import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { clientAddress, PROBLEM_BASE, ProblemDetailsFilter, type TrustFunction } from '#libs/core';
import { unknownCertificate, unknownStamp } from './public-certificate.controller.js';
import { CACHE_MAX, CACHE_TTL_MS, PublicCertificateService } from './public-certificate.service.js';
import { PublicRateLimiter } from './public-rate-limit.js';

const CERTIFICATES = '/public/certificates/';
const STAMPS = '/public/stamps/';
/**
 * `GET /public/certificates/{number}` and `GET /public/stamps/{serial}` answered in front of the
 * framework: the same rate limit, the same lookup (and cache) and the same JSON as the controllers
 * (PublicCertificateController), without Express routing, per-request logging and the guard and
 * interceptor chain, which cost more than ten times the lookup itself. An inspector's app or a
 * crawler may hammer these two routes; everything else goes to Nest untouched.
 *
 * Why this bypass stays (issue 10: "try @nestjs/platform-fastify for the whole API; if it keeps the
 * public lookup ≥ 0.9× a bare node:http server through the framework, remove the bypass"). Measured
 * with bench/public-lookup.bench.ts, all variants in one process, alternating rounds, wrk with 32
 * connections, 2 vCPUs shared with other sessions (load 10–16), three runs, req/s as a fraction of
 * a bare node:http server answering the same JSON from memory (medians of three rounds):
 *
 *   this fast path (Express API)                               0.76, 0.40, 0.30
 *   Nest + Express through the framework (no bypass)           0.09, 0.08, 0.10
 *   the AppModule on Nest + Fastify 5 through the framework    0.58, 0.24, 0.23
 *   Nest + Fastify, one route returning the JSON from memory   0.90, 0.69, 0.79  (no guard, DB, logging)
 *
 * Fastify makes the framework path about three times faster than Express, but not 0.9× bare: the
 * guards, the idempotency interceptor, pino-http, helmet and Nest's routing stay per request, and an
 * empty Nest + Fastify route is already at or under the threshold. So the bypass stays, and Express with it:
 * moving the API (multer uploads, bull-board's Express adapter and its cookie, helmet, the body
 * limit, `trust proxy`, and Express's `res.setHeader`/`res.status().type()` in the problem filter,
 * the idempotency interceptor and the rate-limit guard) would not remove it. The Fastify figures come
 * from a harness in the bench, not a port (see fastifyApi() there).
 */
@Injectable()
export class PublicLookupFastPath implements OnApplicationBootstrap {
  private readonly logger = new Logger('Certificates');

  /** Express's compiled `trust proxy` (TRUST_PROXY), so this path sees the same client address as `req.ip`. */
  private trust: TrustFunction = () => false;

  /** Serialised answers by request path, for the lookup cache's lifetime (found certificates only). */
  private readonly answers = new Map<string, { at: number; body: Buffer }>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly lookups: PublicCertificateService,
    private readonly limiter: PublicRateLimiter,
  ) {
    lookups.onForget(() => this.answers.clear());
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const framework = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    if (framework.length === 0) return;
    const express = this.adapterHost.httpAdapter.getInstance<{ get(setting: string): unknown }>();
    const compiled = express.get('trust proxy fn');
    if (typeof compiled === 'function') this.trust = compiled as TrustFunction;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.handles(req)) {
        for (const listener of framework) listener.call(server, req, res);
        return;
      }
      this.answer(req, res).catch((e: unknown) => {
        this.logger.error(`public lookup ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent)
          this.send(res, 500, problem(500, 'internal_error', 'An unexpected error occurred', req.url));
        else res.destroy();
      });
    });
  }

  private handles(req: IncomingMessage): boolean {
    if (req.method !== 'GET' || !req.url) return false;
    const url = req.url;
    const prefix = url.startsWith(CERTIFICATES) ? CERTIFICATES : url.startsWith(STAMPS) ? STAMPS : undefined;
    if (!prefix) return false;
    const rest = url.slice(prefix.length);
    // One path segment, no query string: anything else is the framework's to answer (or refuse).
    return rest.length > 0 && !/[/?#]/.test(rest);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const decision = await this.limiter.hit(clientAddress(req, this.trust));
    const headers = this.limiter.headers(decision);
    if (!decision.allowed) {
      const error = this.limiter.error(decision);
      this.send(res, 429, problem(429, error.code, error.message, req.url), {
        ...headers,
        'Retry-After': String(decision.resetSeconds),
      });
      return;
    }
    const url = req.url!;
    const now = Date.now();
    const known = this.answers.get(url);
    if (known && now - known.at < CACHE_TTL_MS) {
      this.send(res, 200, known.body, headers);
      return;
    }
    const stamp = url.startsWith(STAMPS);
    let key: string;
    try {
      key = decodeURIComponent(url.slice(stamp ? STAMPS.length : CERTIFICATES.length));
    } catch {
      this.send(res, 400, problem(400, 'bad_request', 'The path is not valid percent-encoding', url), headers);
      return;
    }
    // As refuseNulCharacters (core) answers for the routes behind Express: PostgreSQL text cannot hold U+0000.
    if (key.includes('\u0000')) {
      const errors = [{ field: 'path', message: 'the path must not contain the NUL character (U+0000)' }];
      this.send(res, 400, problem(400, 'validation_failed', 'The request has invalid fields', url, errors), headers);
      return;
    }
    const view = stamp ? await this.lookups.byStamp(key) : await this.lookups.byNumber(key);
    if (view) {
      const body = Buffer.from(JSON.stringify(view));
      this.answers.delete(url);
      if (this.answers.size >= CACHE_MAX) this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(url, { at: now, body });
      this.send(res, 200, body, headers);
    } else {
      // The same problem details as the controller's (ProblemDetailsFilter), so both paths answer alike.
      const unknown = new ProblemDetailsFilter().toProblem(stamp ? unknownStamp(key) : unknownCertificate(key));
      this.send(res, 404, JSON.stringify({ ...unknown, instance: url }), headers);
    }
  }

  private send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, {
      'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8',
      'Content-Length': bytes.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(bytes);
  }
}

function problem(
  status: number,
  code: string,
  detail: string,
  instance: string | undefined,
  errors?: { field: string; message: string }[],
): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 429: 'Too Many Requests', 500: 'Internal Server Error' };
  return JSON.stringify({ type: PROBLEM_BASE + code, title: titles[status], status, detail, code, instance, errors });
}
