import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import {
  ACCESS_METADATA,
  admits,
  PRINCIPAL_RESOLVER,
  type AccessPolicy,
  type PrincipalResolver,
  type RequestWithPrincipal,
} from './access.js';

/** Global guard: every route declares its audience; nothing is reachable by omission. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(PRINCIPAL_RESOLVER) private readonly resolver?: PrincipalResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw new DomainError('forbidden', 'access.undeclared', 'This endpoint declares no access policy');
    const req = context
      .switchToHttp()
      .getRequest<RequestWithPrincipal & { headers: Record<string, string | string[] | undefined> }>();
    if (policy.public) {
      // Credentials are optional on public routes, and bad ones are ignored rather than refused: a
      // client that sends its expired access token along must still be able to refresh or log in.
      if (this.resolver) {
        try {
          req.principal = await this.resolver.resolve(req.headers);
        } catch (e) {
          if (!(e instanceof UnauthenticatedError)) throw e;
        }
      }
      return true;
    }
    if (!this.resolver) throw new UnauthenticatedError();
    req.principal = await this.resolver.resolve(req.headers);
    if (!req.principal) throw new UnauthenticatedError();
    if (!admits(policy, req.principal)) {
      throw new ForbiddenError('access.denied', `This endpoint is for: ${policy.audiences.join(', ')}`);
    }
    return true;
  }
}
