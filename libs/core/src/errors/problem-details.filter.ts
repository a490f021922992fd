import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import {
  DomainError,
  KIND_STATUS,
  RateLimitedError,
  ServiceUnavailableError,
  type FieldError,
} from './domain-error.js';

export const PROBLEM_BASE = 'https://tdc-lims.local/problems/';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * The problem type URI of a code. Encoded: a few codes kept for compatibility have a space
 * (`result revision.not_found`), which a URI reference cannot hold.
 */
export function problemType(code: string): string {
  return PROBLEM_BASE + encodeURIComponent(code);
}

function codeForStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '_');
}

/** Turns anything thrown into RFC 9457 problem details; unknown errors are logged and become a bare 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl ?? req.url;
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (res.headersSent) return;
    if (exception instanceof RateLimitedError || exception instanceof ServiceUnavailableError)
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    if (problem.status === 429 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '60');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemDetails {
    // A domain error thrown inside Express middleware (body-parser's verify hook) arrives wrapped.
    if (exception instanceof HttpException && exception.cause instanceof DomainError)
      return this.toProblem(exception.cause);
    if (exception instanceof DomainError) {
      const status = KIND_STATUS[exception.kind];
      const { errors, ...rest } = exception.details;
      return {
        type: problemType(exception.code),
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: exception.message,
        code: exception.code,
        ...rest,
        ...(errors ? { errors } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // The express adapter wraps body-parser's error; say plainly that the JSON is malformed.
      if ((exception.cause as { type?: unknown } | undefined)?.type === 'entity.parse.failed') {
        return {
          type: PROBLEM_BASE + 'malformed_json',
          title: 'Bad Request',
          status: 400,
          detail: `The request body is not valid JSON: ${exception.message}`,
          code: 'malformed_json',
        };
      }
      const body = exception.getResponse();
      let detail = exception.message;
      if (typeof body === 'object' && body !== null && 'message' in body) {
        const m = (body as { message: unknown }).message;
        detail = Array.isArray(m) ? m.join('; ') : String(m);
      }
      if (status >= 500) this.logger.error(exception);
      return {
        type: status === 404 ? 'about:blank' : PROBLEM_BASE + codeForStatus(status),
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: status >= 500 ? 'An unexpected error occurred' : detail,
        code: codeForStatus(status),
      };
    }
    // body-parser and friends throw errors that carry an HTTP status (e.g. malformed JSON → 400).
    const e = exception as {
      status?: unknown;
      statusCode?: unknown;
      type?: unknown;
      expose?: unknown;
      message?: unknown;
    };
    const status = Number(e?.status ?? e?.statusCode);
    if (Number.isInteger(status) && status >= 400 && status < 500) {
      const code = e.type === 'entity.parse.failed' ? 'malformed_json' : codeForStatus(status);
      return {
        type: PROBLEM_BASE + code,
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: code === 'malformed_json' ? 'The request body is not valid JSON' : String(e.message ?? ''),
        code,
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return {
      type: 'about:blank',
      title: STATUS_CODES[HttpStatus.INTERNAL_SERVER_ERROR] as string,
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'An unexpected error occurred',
      code: 'internal_error',
    };
  }
}
