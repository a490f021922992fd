import { createHash, randomBytes } from 'node:crypto';

/** Access tokens are short-lived: a role change or deactivation is also checked on every request. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A session lasts this long without use; every refresh starts the period again. */
export const REFRESH_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

/** Injection token of the HS256 signing key (a Buffer). */
export const JWT_SIGNING_KEY = Symbol('JWT_SIGNING_KEY');

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** 256 random bits, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
