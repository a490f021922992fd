import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE codes the services translate into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_RAISE_EXCEPTION = 'P0001';

export function pgErrorCode(e: unknown): string | undefined {
  if (!(e instanceof QueryFailedError)) return undefined;
  const driverError = (e as QueryFailedError & { driverError?: { code?: string } }).driverError;
  return driverError?.code;
}

export function pgConstraint(e: unknown): string | undefined {
  if (!(e instanceof QueryFailedError)) return undefined;
  return (e as QueryFailedError & { driverError?: { constraint?: string } }).driverError?.constraint;
}
