import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import { decodeCursor, type StaffRole, type Tx } from '#libs/core';
import { StaffUser } from './staff-user.entity.js';

/** Serialises changes that could leave the centre without an active admin. */
export const ADMIN_LOCK_KEY = 720_417_101;

export interface StaffUserFilter {
  limit: number;
  cursor?: string;
  q?: string;
  role?: string;
  active?: boolean;
}

/** An account with whether the session (refresh-token family) asked about still has a live token. */
export interface SessionHolderRow {
  id: string;
  username: string;
  full_name: string;
  roles: StaffRole[];
  active: boolean;
  live: boolean;
}

/**
 * The query-builder and raw SQL of the staff-account aggregate (`staff_user`). Methods that run
 * inside a use case's transaction take `tx` first; reads outside one use the pool.
 */
@Injectable()
export class StaffUserRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of accounts (one more than the limit), by login name (case-insensitively) then id. */
  list(filter: StaffUserFilter): Promise<StaffUser[]> {
    const qb = this.db
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .orderBy('lower(u.username)', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.q) {
      const q = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('u.username ILIKE :q', { q }).orWhere('u.full_name ILIKE :q', { q })));
    }
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.active !== undefined) qb.andWhere('u.active = :active', { active: filter.active });
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(lower(u.username), u.id) > (:name, :id)', { name, id });
    }
    return qb.getMany();
  }

  /** The account for a login name, compared case-insensitively; null when there is none. */
  findByUsername(username: string): Promise<StaffUser | null> {
    return this.db
      .getRepository(StaffUser)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  /** Until the transaction ends, no other transaction changes who is an active admin. */
  async lockAdmins(tx: Tx): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_LOCK_KEY]);
  }

  async activeAdminCount(tx: Tx): Promise<number> {
    const [{ n }] = (await tx.manager.query(
      `SELECT count(*)::int AS n FROM staff_user WHERE active AND 'admin' = ANY(roles)`,
    )) as [{ n: number }];
    return n;
  }

  /** Whether an account has this login name, compared case-insensitively (inside the caller's lock). */
  usernameTaken(tx: Tx, username: string): Promise<boolean> {
    return tx.manager
      .createQueryBuilder(StaffUser, 'u')
      .where('lower(u.username) = lower(:u)', { u: username })
      .getExists();
  }

  /** Whether any account, active or not, has ever been given the admin role. */
  async anAdminEverExisted(): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM staff_user WHERE 'admin' = ANY(roles) LIMIT 1`)) as unknown[];
    return rows.length > 0;
  }

  /** The account and whether its session has a token neither revoked nor expired: one indexed query. */
  async sessionHolder(userId: string, sessionId: string): Promise<SessionHolderRow | undefined> {
    const rows = (await this.db.query(
      `SELECT u.id, u.username, u.full_name, u.roles, u.active,
              EXISTS (SELECT 1 FROM refresh_token t
                       WHERE t.family_id = $2 AND t.user_id = u.id
                         AND t.revoked_at IS NULL AND t.expires_at > now()) AS live
         FROM staff_user u WHERE u.id = $1`,
      [userId, sessionId],
    )) as SessionHolderRow[];
    return rows[0];
  }
}
