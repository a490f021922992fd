import type { ErrorList } from '#libs/core';

/**
 * Every problem code the auth library throws: the HTTP status it maps to and what it means. Merged into
 * core's `ErrorCodes` below, so a code not listed here does not compile (libs/core/src/errors/error-codes.ts);
 * `npm run check:errors` proves the list complete and free of dead codes.
 */
export const AUTH_ERRORS = {
  'auth.invalid_credentials': {
    status: 401,
    meaning: 'wrong username or password, or a credential header sent more than once',
  },
  'auth.ambiguous_credentials': { status: 401, meaning: 'both a bearer token and an API key were sent' },
  'auth.invalid_token': {
    status: 401,
    meaning: 'the access token is malformed or its signature is wrong; log in again',
  },
  'auth.token_expired': { status: 401, meaning: 'the access token has expired; refresh it' },
  'auth.invalid_refresh_token': {
    status: 401,
    meaning: 'the refresh token is unknown, used, revoked or expired; log in again',
  },
  'auth.account_inactive': { status: 401, meaning: 'the account is deactivated' },
  'auth.invalid_api_key': { status: 401, meaning: 'the API key is malformed or unknown' },
  'auth.api_key_revoked': { status: 401, meaning: 'the API key has been revoked' },
  'auth.organization_inactive': { status: 401, meaning: 'the organization of the API key is deactivated' },
  'auth.session_ended': {
    status: 401,
    meaning: 'the session of the access token has ended (logout, password change, reused refresh token); log in again',
  },
  'auth.login_throttled': {
    status: 429,
    meaning:
      'too many failed logins from this address (for this account, or for any); `Retry-After` says when to try again',
  },
  'auth.login_rate_limited': {
    status: 429,
    meaning: 'more than LOGIN_RATE_LIMIT login attempts from this address in the window; `Retry-After` says when',
  },
  'user.not_found': { status: 404, meaning: 'no staff account has this id' },
  'user.not_self': { status: 403, meaning: 'only an admin may see or change another account' },
  'user.username_taken': { status: 409, meaning: 'the username is taken (compared case-insensitively)' },
  'user.inactive': { status: 409, meaning: 'the account is deactivated; activate it before granting authorisations' },
  'user.last_admin': { status: 409, meaning: 'the change would leave no active admin' },
  'user.current_password_incorrect': {
    status: 422,
    meaning: 'the current password given to change one’s own password is wrong',
  },
  'api_key.not_found': { status: 404, meaning: 'no API key has this id' },
  'organization.inactive': { status: 409, meaning: 'the organization is deactivated; activate it before issuing keys' },
  'authorisation.not_found': { status: 404, meaning: 'no personnel authorisation has this id' },
  'authorisation.role_missing': { status: 422, meaning: 'the account lacks the role the authorised activity needs' },
  'authorisation.unknown_instrument_type': {
    status: 422,
    meaning: 'the authorisation names an instrument type that does not exist',
  },
} as const satisfies ErrorList;

export type AuthErrorCode = keyof typeof AUTH_ERRORS;

type AuthErrorList = typeof AUTH_ERRORS;
declare module '#libs/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface ErrorCodes extends AuthErrorList {}
}
