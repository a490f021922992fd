import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { hashPassword, verifyPassword } from '../passwords/passwords.js';
import { RefreshToken } from '../tokens/refresh-token.entity.js';
import type { CreateUserDto, SetPasswordDto, UpdateUserDto, UserQuery, UserView } from './dto/user.dto.js';
import { StaffUser } from './staff-user.entity.js';
import { StaffUserRepository } from './staff-user.repository.js';

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** The principal a staff account acts as (for a use case called outside HTTP, e.g. a bench or a test). */
export function staffPrincipal(u: Pick<StaffUser, 'id' | 'username' | 'fullName' | 'roles'>): StaffPrincipal {
  return { kind: 'staff', userId: u.id, username: u.username, fullName: u.fullName, roles: [...u.roles] };
}

/** The account's public view: never its password hash; also what the audit trail keeps before and after. */
export function toUserView(u: StaffUser): UserView {
  return {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    active: u.active,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function isAdmin(principal: Principal | undefined): boolean {
  return principal?.kind === 'staff' && principal.roles.includes('admin');
}

@Injectable()
export class UserService {
  constructor(
    @InjectRepository(StaffUser) private readonly users: Repository<StaffUser>,
    private readonly repository: StaffUserRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateUserDto, actor: AuditActor): Promise<UserView> {
    const entity = this.users.create({
      username: dto.username,
      fullName: dto.fullName,
      email: dto.email ?? null,
      roles: [...dto.roles],
      passwordHash: await hashPassword(dto.password),
    });
    return this.uow.run(async (tx) => {
      let after: UserView;
      try {
        after = toUserView(await tx.manager.save(entity));
      } catch (e) {
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) {
          throw new ConflictError('user.username_taken', `The username ${dto.username} is taken`, {
            errors: [{ field: 'username', message: 'username is already taken (compared case-insensitively)' }],
          });
        }
        throw e;
      }
      await this.audit.record(tx, { actor, entity: 'staff_user', entityId: after.id, action: 'create', after });
      return after;
    });
  }

  async list(query: UserQuery): Promise<Page<UserView>> {
    const rows = await this.repository.list(query);
    return toPage(
      rows,
      query.limit,
      (u) => [u.username.toLowerCase(), u.id],
      (u) => toUserView(u),
    );
  }

  /** An admin sees anyone; other staff see only themselves. */
  async get(id: string, principal: Principal): Promise<UserView> {
    if (!isAdmin(principal) && !(principal.kind === 'staff' && principal.userId === id)) {
      throw new ForbiddenError('user.not_self', 'Only an admin may see other staff accounts');
    }
    return toUserView(await this.find(id));
  }

  async find(id: string, m: EntityManager = this.users.manager): Promise<StaffUser> {
    const found = await m.findOneBy(StaffUser, { id });
    if (!found) throw new NotFoundError('user', id);
    return found;
  }

  /** The account for a login name, compared case-insensitively; null when there is none. */
  findByUsername(username: string): Promise<StaffUser | null> {
    return this.repository.findByUsername(username);
  }

  async update(id: string, dto: UpdateUserDto, actor: AuditActor): Promise<UserView> {
    return this.uow.run(async (tx) => {
      const em = tx.manager;
      const touchesAdmins = dto.roles !== undefined || dto.active === false;
      if (touchesAdmins) await this.repository.lockAdmins(tx);
      const user = await em.findOne(StaffUser, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('user', id);
      const before = toUserView(user);
      const deactivated = user.active && dto.active === false;
      if (dto.fullName !== undefined) user.fullName = dto.fullName;
      if (dto.email !== undefined) user.email = dto.email;
      if (dto.roles !== undefined) user.roles = [...dto.roles];
      if (dto.active !== undefined) user.active = dto.active;
      const saved = await em.save(user);
      if (touchesAdmins) await this.assertAnActiveAdmin(tx);
      if (deactivated) await revokeSessions(em, id);
      const after = toUserView(saved);
      await this.audit.record(tx, { actor, entity: 'staff_user', entityId: id, action: 'update', before, after });
      return after;
    });
  }

  /**
   * An admin resets anyone's password; anyone changes their own with the current one. Ends the
   * account's sessions (refresh tokens, and so its access tokens).
   */
  async setPassword(id: string, dto: SetPasswordDto, principal: Principal): Promise<void> {
    const self = principal.kind === 'staff' && principal.userId === id;
    if (!self && !isAdmin(principal))
      throw new ForbiddenError('user.not_self', 'Only an admin may set another account’s password');
    const user = await this.find(id);
    if (self) {
      if (dto.currentPassword === undefined || !(await verifyPassword(user.passwordHash, dto.currentPassword))) {
        throw new UnprocessableError('user.current_password_incorrect', 'The current password is not correct', {
          errors: [{ field: 'currentPassword', message: 'currentPassword is not correct' }],
        });
      }
    }
    const passwordHash = await hashPassword(dto.newPassword);
    await this.uow.run(async (tx) => {
      await tx.manager.update(StaffUser, { id }, { passwordHash });
      await revokeSessions(tx.manager, id);
      // The hashes are never written here: the entry says that it changed, who changed it, and that sessions ended.
      await this.audit.record(tx, {
        actor: principal,
        entity: 'staff_user',
        entityId: id,
        action: self ? 'change_password' : 'reset_password',
        before: toUserView(user),
        after: { ...toUserView(await this.find(id, tx.manager)), sessionsEnded: true },
      });
    });
  }

  /**
   * Principal for a bearer token: only an active account, with its roles as they are now, and only
   * while the token's session (refresh-token family) has a token neither revoked nor expired. One
   * indexed query per request, so a logout or a password change applies to the very next request.
   */
  async principalOfSession(userId: string, sessionId: string): Promise<Principal | 'inactive' | 'ended'> {
    const u = await this.repository.sessionHolder(userId, sessionId);
    if (!u?.active) return 'inactive';
    if (!u.live) return 'ended';
    return { kind: 'staff', userId: u.id, username: u.username, fullName: u.full_name, roles: u.roles };
  }

  private async assertAnActiveAdmin(tx: Tx): Promise<void> {
    if ((await this.repository.activeAdminCount(tx)) === 0)
      throw new ConflictError('user.last_admin', 'This would leave no active admin; make someone else admin first');
  }
}

/** Ends every session of an account: its refresh tokens, and with them its access tokens (checked on use). */
export async function revokeSessions(em: EntityManager, userId: string): Promise<void> {
  await em.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
}
