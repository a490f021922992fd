import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { DatabaseModule, ENV, PRINCIPAL_RESOLVER, RateLimitRedisModule, type Env } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { AuthorisationController } from './authorisations/authorisation.controller.js';
import { AuthorisationRepository } from './authorisations/authorisation.repository.js';
import { AuthorisationService } from './authorisations/authorisation.service.js';
import { StaffAuthorisation } from './authorisations/staff-authorisation.entity.js';
import { ApiKeyController } from './api-keys/api-key.controller.js';
import { ApiKey } from './api-keys/api-key.entity.js';
import { ApiKeyRepository } from './api-keys/api-key.repository.js';
import { ApiKeyService } from './api-keys/api-key.service.js';
import { LoginThrottle } from './session/login-throttle.js';
import { MeService } from './session/me.service.js';
import { AuthPrincipalResolver } from './session/principal-resolver.js';
import { SessionController } from './session/session.controller.js';
import { SessionService } from './session/session.service.js';
import { loadJwtSecret } from './tokens/jwt-secret.js';
import { RefreshToken } from './tokens/refresh-token.entity.js';
import { JWT_SIGNING_KEY } from './tokens/tokens.js';
import { StaffUser } from './users/staff-user.entity.js';
import { FirstAdminBootstrap } from './users/admin-account.js';
import { UserController } from './users/user.controller.js';
import { StaffUserRepository } from './users/staff-user.repository.js';
import { UserService } from './users/user.service.js';

export const AUTH_ENTITIES = [StaffUser, RefreshToken, ApiKey, StaffAuthorisation];

/**
 * Who may do what: staff accounts and sessions, personnel authorisations, business API keys. The
 * app module imports it, so core's AccessGuard (its APP_GUARD) can inject PRINCIPAL_RESOLVER; other
 * libraries import it for AuthorisationService.
 */
@Module({
  imports: [DatabaseModule.forFeature(AUTH_ENTITIES), AuditModule, RegistryModule, RateLimitRedisModule],
  controllers: [SessionController, UserController, ApiKeyController, AuthorisationController],
  providers: [
    { provide: JWT_SIGNING_KEY, inject: [ENV], useFactory: (env: Env) => loadJwtSecret(env) },
    LoginThrottle,
    StaffUserRepository,
    ApiKeyRepository,
    AuthorisationRepository,
    UserService,
    SessionService,
    ApiKeyService,
    AuthorisationService,
    MeService,
    AuthPrincipalResolver,
    FirstAdminBootstrap,
    { provide: PRINCIPAL_RESOLVER, useExisting: AuthPrincipalResolver },
  ],
  exports: [PRINCIPAL_RESOLVER, UserService, SessionService, ApiKeyService, AuthorisationService],
})
export class AuthModule {}
