import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from '../config/env.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

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
