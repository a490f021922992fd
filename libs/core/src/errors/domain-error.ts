/**
 * What kind of failure a domain error is; mapped to HTTP once, in the problem-details filter.
 * Services throw DomainError subclasses, never HTTP exceptions.
 */
export type ErrorKind =
  | 'invalid' // 400: the request is malformed
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: the state of the resource does not allow it
  | 'unprocessable' // 422: well-formed but breaks a domain rule
  | 'rate_limited' // 429
  | 'unavailable'; // 503: a service the request needs (the queue) does not answer; try again later

import type { ErrorCode, NotFoundEntity } from './error-codes.js';

export interface FieldError {
  /** Path of the offending field in the request, e.g. `items[2].serialNumber`. */
  field: string;
  message: string;
  /**
   * On a 400 from validation: the class-validator constraint the field failed (`isNotEmpty`,
   * `maxLength`, …); on a domain 422, the rule (`readiness.no_cycle`): a stable key a client can
   * show in its own language instead of `message`.
   */
  constraint?: string;
  /** With a domain constraint (`readiness.no_cycle`): the values its message names, as text. */
  values?: Record<string, string>;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable, machine-readable code, e.g. `instrument.duplicate`, listed in its library's `<lib>.errors.ts`. */
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: NotFoundEntity, id: string | number) {
    super('not_found', `${entity}.not_found` as ErrorCode, `${entity} ${id} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super('conflict', code, message, details);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: ErrorCode, message: string, details: { errors?: FieldError[]; [key: string]: unknown } = {}) {
    super('unprocessable', code, message, details);
  }
}

export class InvalidInputError extends DomainError {
  constructor(errors: FieldError[], message = 'The request has invalid fields') {
    super('invalid', 'validation_failed', message, { errors });
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super('forbidden', code, message);
  }
}

export class UnauthenticatedError extends DomainError {
  /** `code` tells a client what to do next, e.g. `auth.token_expired` → refresh; `auth.required` → log in. */
  constructor(message = 'Authentication is required', code: ErrorCode = 'auth.required') {
    super('unauthenticated', code, message);
  }
}

/** 429; the problem-details filter sends `Retry-After` with these seconds. */
export class RateLimitedError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', code, message, { retryAfterSeconds });
  }
}

/** 503; the problem-details filter sends `Retry-After` with these seconds. */
export class ServiceUnavailableError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('unavailable', code, message, { retryAfterSeconds });
  }
}

export const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};
