import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

/** Staff roles (ISO/IEC 17025 6.2: who may do what is decided per role, then per authorisation). */
export const STAFF_ROLES = ['admin', 'reception', 'technician', 'reviewer', 'inspector'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A staff login name: 3–64 letters, digits, ".", "-" or "_", starting with a letter or digit. */
export const STAFF_USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** Who may call an endpoint: a staff role, any staff member, or a business through its API key. */
export type Audience = StaffRole | 'staff' | 'business';

export type Principal =
  | { kind: 'staff'; userId: string; username: string; fullName: string; roles: StaffRole[] }
  | {
      kind: 'business';
      apiKeyId: string;
      organizationId: string;
      /** Who it is to a person reading the audit trail: the organization's name and the key's ("ERP"). */
      name?: string;
    };

export const ACCESS_METADATA = 'tdc:access';
export type AccessPolicy = { public: true } | { public: false; audiences: Audience[] };

/** Anyone, without credentials (health, public certificate checks). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { public: true } satisfies AccessPolicy);

/** Only these audiences. Every route must carry @Public or @Allow; the guard refuses undeclared routes. */
export const Allow = (...audiences: [Audience, ...Audience[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { public: false, audiences } satisfies AccessPolicy);

export function admits(policy: AccessPolicy, principal: Principal | undefined): boolean {
  if (policy.public) return true;
  if (!principal) return false;
  if (principal.kind === 'business') return policy.audiences.includes('business');
  if (policy.audiences.includes('staff')) return true;
  return principal.roles.some((r) => policy.audiences.includes(r));
}

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The authenticated caller (undefined on public routes without credentials). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);

/** Implemented by the auth library: turns a request's credentials into a principal, or throws if they are bad. */
export interface PrincipalResolver {
  resolve(headers: Record<string, string | string[] | undefined>): Promise<Principal | undefined>;
}
export const PRINCIPAL_RESOLVER = Symbol('PRINCIPAL_RESOLVER');

/** The organization a caller is confined to: a business sees only its own; staff see all (undefined). */
export function organizationScope(principal: Principal | undefined): string | undefined {
  return principal?.kind === 'business' ? principal.organizationId : undefined;
}
