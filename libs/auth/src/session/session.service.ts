import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { UnauthenticatedError } from '#libs/core';
import { burnPasswordCheck, hashPassword, passwordNeedsRehash, verifyPassword } from '../passwords/passwords.js';
import { JwtError, signAccessToken, verifyAccessToken } from '../tokens/jwt.js';
import { RefreshToken } from '../tokens/refresh-token.entity.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  JWT_SIGNING_KEY,
  randomToken,
  REFRESH_TOKEN_TTL_MS,
  sha256Hex,
} from '../tokens/tokens.js';
import { StaffUser } from '../users/staff-user.entity.js';
import { toUserView, UserService } from '../users/user.service.js';
import type { TokenResponse } from './dto/session.dto.js';
import { LoginThrottle } from './login-throttle.js';

const invalidCredentials = (): UnauthenticatedError =>
  new UnauthenticatedError('Wrong username or password', 'auth.invalid_credentials');
const invalidRefresh = (why: string): UnauthenticatedError =>
  new UnauthenticatedError(`The refresh token ${why}; log in again`, 'auth.invalid_refresh_token');

/** Staff login sessions: password check, access tokens, refresh-token rotation. */
@Injectable()
export class SessionService {
  constructor(
    private readonly users: UserService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JWT_SIGNING_KEY) private readonly signingKey: Buffer,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Never says whether the username exists: an unknown name costs a password check and counts as a
   * failure too. A throttled address (or account at that address) is refused (429) before the
   * password is even checked, so guessing cannot go on meanwhile; nobody else is held up.
   */
  async login(username: string, password: string, address: string): Promise<TokenResponse> {
    await this.throttle.admit(address, username);
    const user = await this.users.findByUsername(username);
    if (!user) {
      await burnPasswordCheck(password);
      await this.throttle.failed(address, username);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.throttle.failed(address, username);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(address, username);
    // Said only to someone who knows the password.
    if (!user.active) throw new UnauthenticatedError('This account is deactivated', 'auth.account_inactive');
    user.lastLoginAt = new Date();
    if (passwordNeedsRehash(user.passwordHash)) user.passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (em) => {
      await em.update(StaffUser, { id: user.id }, { lastLoginAt: user.lastLoginAt, passwordHash: user.passwordHash });
      return this.issue(em, user, randomUUID());
    });
  }

  /**
   * Exchanges a refresh token for a new pair. A token already exchanged once is a stolen copy or a
   * replay: its whole family (the session) is revoked, so the thief and the owner both log in again.
   */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    type Outcome = { response: TokenResponse } | { reuse: string } | { error: UnauthenticatedError };
    const outcome = await this.dataSource.transaction(async (em): Promise<Outcome> => {
      const token = await em.findOne(RefreshToken, {
        where: { tokenHash: sha256Hex(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token || token.revokedAt) return { error: invalidRefresh('is not valid') };
      if (token.usedAt) return { reuse: token.familyId };
      if (token.expiresAt <= new Date()) return { error: invalidRefresh('has expired') };
      const user = await em.findOneBy(StaffUser, { id: token.userId });
      if (!user?.active) {
        await revokeFamily(em, token.familyId);
        return { error: invalidRefresh('belongs to a deactivated account') };
      }
      await em.update(RefreshToken, { id: token.id }, { usedAt: new Date() });
      return { response: await this.issue(em, user, token.familyId) };
    });
    if ('response' in outcome) return outcome.response;
    // Revoked in its own transaction: the refusal must not roll it back.
    if ('reuse' in outcome) {
      await revokeFamily(this.dataSource.manager, outcome.reuse);
      throw invalidRefresh('was already used (the session has been ended for safety)');
    }
    throw outcome.error;
  }

  /** Ends the session the refresh token belongs to; an unknown token is not an error (nothing to end). */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.dataSource.manager.findOneBy(RefreshToken, { tokenHash: sha256Hex(refreshToken) });
    if (token) await revokeFamily(this.dataSource.manager, token.familyId);
  }

  /** The account and session a valid access token names; 401 with the reason's code otherwise. */
  verifyAccessToken(token: string): { userId: string; sessionId: string } {
    try {
      const claims = verifyAccessToken(this.signingKey, token);
      return { userId: claims.sub, sessionId: claims.sid };
    } catch (e) {
      if (e instanceof JwtError && e.reason === 'expired') {
        throw new UnauthenticatedError('The access token has expired; refresh it', 'auth.token_expired');
      }
      if (e instanceof JwtError) throw new UnauthenticatedError('The access token is not valid', 'auth.invalid_token');
      throw e;
    }
  }

  private async issue(em: EntityManager, user: StaffUser, familyId: string): Promise<TokenResponse> {
    const refreshToken = randomToken();
    await em.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    });
    const { token } = signAccessToken(
      this.signingKey,
      { userId: user.id, sessionId: familyId },
      ACCESS_TOKEN_TTL_SECONDS,
    );
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      user: toUserView(user),
    };
  }
}

async function revokeFamily(em: EntityManager, familyId: string): Promise<void> {
  await em.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
}
