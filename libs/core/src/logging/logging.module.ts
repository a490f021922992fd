import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from '../config/env.js';

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

/** Structured JSON logs with a request id per request (taken from X-Request-Id when it is sane). */
@Module({})
export class LoggingModule {
  static forRoot(env: Env, service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.LOG_LEVEL,
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
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
