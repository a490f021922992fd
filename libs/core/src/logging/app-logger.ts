import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The logger of the request being handled (pino-http's `req.log`, carrying the request id). */
const requestLogger = new AsyncLocalStorage<Pino>();

/** Runs `next` with `log` as the logger of everything logged until the request ends. */
export function runWithRequestLogger(log: Pino, next: () => void): void {
  requestLogger.run(log, next);
}

/** Nest's ExceptionsHandler calls error(message, stack) with no context; its stack is not a context. */
function isMessageAndStack(level: Level, message: unknown, params: unknown[]): params is [string] {
  return (
    level === 'error' &&
    typeof message === 'string' &&
    params.length === 1 &&
    typeof params[0] === 'string' &&
    /\n\s*at /.test(params[0])
  );
}

/**
 * Nest's LoggerService over pino: Nest's own lines and `new Logger(ctx)` calls become JSON lines with
 * `context`, written through the current request's logger when there is one (so they carry its id),
 * else through the process's root logger. Errors go under `err` (pino's error serializer).
 */
export class AppLogger implements LoggerService {
  constructor(private readonly root: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.call('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.call('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.call('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.call('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.call('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.call('fatal', message, params);
  }

  private call(level: Level, message: unknown, optional: unknown[]): void {
    const logger = requestLogger.getStore() ?? this.root;
    // Nest passes the context as the last parameter.
    const fields: Record<string, unknown> = optional.length ? { context: optional[optional.length - 1] } : {};
    const rest = optional.slice(0, -1);
    if (message instanceof Error) logger[level]({ ...fields, err: message }, ...(rest as []));
    else if (typeof message === 'object' && message !== null) logger[level]({ ...fields, ...message }, ...(rest as []));
    else if (isMessageAndStack(level, message, rest)) {
      const err = Object.assign(new Error(String(message)), { stack: rest[0] });
      logger[level]({ ...fields, err });
    } else logger[level](fields, String(message), ...(rest as []));
  }
}
