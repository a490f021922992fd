import type { ErrorList } from './errors/error-codes.js';

/**
 * Problem codes thrown by core (validation, access, idempotency). Listed once; see
 * `errors/error-codes.ts` for how the list types every throw.
 */
export const CORE_ERRORS = {
  validation_failed: { status: 400, meaning: 'fields of the request are invalid; `errors[]` names each' },
  'body.too_deep': { status: 400, meaning: 'the JSON body nests objects or arrays more than 32 levels deep' },
  'auth.required': { status: 401, meaning: 'no credentials were sent, or they name no one' },
  'access.undeclared': { status: 403, meaning: 'the route declares no audience, so it is closed to all' },
  'access.denied': { status: 403, meaning: 'the caller is not among the audiences of the route or action' },
  'ping.not_found': { status: 404, meaning: 'no system ping has this id' },
  'idempotency.in_progress': { status: 409, meaning: 'a request with this Idempotency-Key is still running' },
  'queue.unavailable': {
    status: 503,
    meaning: 'the job queue (Redis) does not answer; nothing was queued: try again after `Retry-After` seconds',
  },
  'idempotency.key_reused': { status: 422, meaning: 'this Idempotency-Key was used with another request body' },
} as const satisfies ErrorList;

export type CoreErrorCode = keyof typeof CORE_ERRORS;
