import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Global,
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import type { Request, Response, NextFunction } from 'express';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import type { Env } from '../config/env.js';
import { AppLogger, runWithRequestLogger } from './app-logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Longest header value (and URL) written to a log line; a 10 KB Idempotency-Key is not worth 10 KB a request. */
export const MAX_LOGGED_VALUE = 200;

/** The value as logged: cut at `max` characters with a marker saying how long it was. */
export function truncateForLog(value: string, max = MAX_LOGGED_VALUE): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[truncated, ${value.length} characters]`;
}

type Headers = Record<string, string | string[] | number | undefined>;

function truncateValues(headers: Headers | undefined): Headers | undefined {
  if (!headers) return headers;
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = Array.isArray(value)
      ? value.map((v) => truncateForLog(v))
      : typeof value === 'string'
        ? truncateForLog(value)
        : value;
  return out;
}

interface LoggedMessage {
  url?: string;
  headers?: Headers;
  query?: Headers;
  params?: Headers;
  [key: string]: unknown;
}

/** pino-http's serializers, over its standard ones: long header values, URLs, query and path values cut (truncateForLog). */
export const LOG_SERIALIZERS = {
  req: (req: LoggedMessage): LoggedMessage => ({
    ...req,
    ...(req.url === undefined ? {} : { url: truncateForLog(req.url) }),
    headers: truncateValues(req.headers),
    query: truncateValues(req.query),
    params: truncateValues(req.params),
  }),
  res: (res: LoggedMessage): LoggedMessage => ({ ...res, headers: truncateValues(res.headers) }),
};

let processService: string | undefined;
/** Names the process in every log line; `npm start` runs API and worker in one process ("lims"). */
export function setLogService(name: string): void {
  processService = name;
}

/** pino-http's options: JSON lines, secrets redacted, long values cut, a request id per request. */
export function httpLogOptions(level: string, service: string): Options {
  return {
    level,
    base: { service: processService ?? service },
    serializers: LOG_SERIALIZERS,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health/') },
  };
}

const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * Structured JSON logs with a request id per request (taken from X-Request-Id when it is sane):
 * pino-http as a middleware on every route, and AppLogger as Nest's logger (`app.useLogger(app.get(AppLogger))`),
 * which writes through the request's logger while one is handled. The worker gets the same logger and
 * no middleware (an application context has none). In place of nestjs-pino, whose 5.x (the one for
 * Nest 12) requires Node ≥ 22.12; this is the part of it the project used.
 */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  static forRoot(env: Env, service: string): DynamicModule {
    const http = pinoHttp(httpLogOptions(env.LOG_LEVEL, service));
    return {
      module: LoggingModule,
      providers: [
        { provide: HTTP_LOGGER, useValue: http },
        { provide: AppLogger, useValue: new AppLogger(http.logger) },
      ],
      exports: [AppLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const http = this.http;
    consumer
      .apply((req: Request, res: Response, next: NextFunction) =>
        http(req, res, () => runWithRequestLogger(req.log, next)),
      )
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
