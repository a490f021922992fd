import { Injectable } from '@nestjs/common';
import { UnauthenticatedError, type Principal, type PrincipalResolver } from '#libs/core';
import { ApiKeyService } from '../api-keys/api-key.service.js';
import { UserService } from '../users/user.service.js';
import { SessionService } from './session.service.js';

const BEARER = /^Bearer +([A-Za-z0-9._-]+) *$/i;

function single(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v))
    throw new UnauthenticatedError(`Send one ${name} header, not ${v.length}`, 'auth.invalid_credentials');
  return v;
}

/**
 * Credentials → principal, for core's AccessGuard. `Authorization: Bearer <access token>` is a staff
 * member (looked up on every request, so deactivation and role changes apply at once);
 * `X-Api-Key` is a business. Bad credentials are a 401, even on public routes.
 */
@Injectable()
export class AuthPrincipalResolver implements PrincipalResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UserService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async resolve(headers: Record<string, string | string[] | undefined>): Promise<Principal | undefined> {
    const authorization = single(headers, 'authorization');
    const apiKey = single(headers, 'x-api-key');
    if (authorization !== undefined && apiKey !== undefined) {
      throw new UnauthenticatedError(
        'Send either a bearer token or an API key, not both',
        'auth.ambiguous_credentials',
      );
    }
    if (apiKey !== undefined) return this.apiKeys.authenticate(apiKey);
    if (authorization === undefined) return undefined;
    const match = BEARER.exec(authorization);
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <access token>"', 'auth.invalid_token');
    const { userId, sessionId } = this.sessions.verifyAccessToken(match[1] as string);
    const principal = await this.users.principalOfSession(userId, sessionId);
    if (principal === 'inactive')
      throw new UnauthenticatedError('The account of this token is deactivated', 'auth.account_inactive');
    if (principal === 'ended')
      throw new UnauthenticatedError(
        'The session of this access token has ended (logout, password change or a reused refresh token); log in again',
        'auth.session_ended',
      );
    return principal;
  }
}
