import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, type StaffRole } from '#libs/core';
import type { AuthorisationQuery } from './dto/authorisation.dto.js';
import { StaffAuthorisation, type AuthorisedActivity, type AuthorisedService } from './staff-authorisation.entity.js';

/** Work asked about, with the role its holder must still have. */
export interface AuthorisationInForce {
  instrumentTypeId: string | null;
  service: AuthorisedService;
  activity: AuthorisedActivity;
  /** Calendar date 'YYYY-MM-DD'. */
  on: string;
  role: StaffRole;
}

/** The conditions under which an authorisation row lets its (active, rightly-roled) holder act. */
const IN_FORCE = `
  a.service = :service AND a.activity = :activity
  AND (a.instrument_type_id IS NULL OR a.instrument_type_id = :instrumentTypeId)
  AND a.valid_from <= :on::date AND (a.valid_until IS NULL OR a.valid_until >= :on::date)
  AND a.revoked_at IS NULL
  AND u.active AND :role = ANY(u.roles)`;

/** The query builders of the personnel-authorisation aggregate (`staff_authorisation`, read with its holder). */
@Injectable()
export class AuthorisationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of a person's authorisations (one more than the limit), newest validity first; with `on`, those in force that day. */
  list(userId: string, query: AuthorisationQuery): Promise<StaffAuthorisation[]> {
    const qb = this.db
      .getRepository(StaffAuthorisation)
      .createQueryBuilder('a')
      .where('a.user_id = :userId', { userId })
      .orderBy('a.valid_from', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    if (query.on) {
      qb.andWhere(
        'a.valid_from <= :on::date AND (a.valid_until IS NULL OR a.valid_until >= :on::date) AND a.revoked_at IS NULL',
        { on: query.on },
      );
    }
    if (query.cursor) {
      const [validFrom, id] = decodeCursor(query.cursor, ['date', 'uuid']);
      qb.andWhere('(a.valid_from, a.id) < (:validFrom::date, :id::uuid)', { validFrom, id });
    }
    return qb.getMany();
  }

  /** Whether this person holds an authorisation in force for the work. */
  holds(userId: string, work: AuthorisationInForce): Promise<boolean> {
    return this.db
      .getRepository(StaffAuthorisation)
      .createQueryBuilder('a')
      .innerJoin('a.user', 'u')
      .where('a.user_id = :userId', { userId })
      .andWhere(IN_FORCE, { ...work })
      .getExists();
  }

  /** The ids of everyone holding an authorisation in force for the work, sorted. */
  async holders(work: AuthorisationInForce): Promise<string[]> {
    const rows = await this.db
      .getRepository(StaffAuthorisation)
      .createQueryBuilder('a')
      .innerJoin('a.user', 'u')
      .select('DISTINCT a.user_id', 'userId')
      .where(IN_FORCE, { ...work })
      .orderBy('a.user_id')
      .getRawMany<{ userId: string }>();
    return rows.map((r) => r.userId);
  }
}
