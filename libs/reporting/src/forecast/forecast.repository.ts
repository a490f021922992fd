import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface DueGroupRow {
  type_id: string;
  commune_id: string | null;
  /** First day of the month the due dates fall in. */
  month: string;
  n: number;
}

export interface TypeHistoryRow {
  type_id: string;
  code: string;
  name: string;
  cycle_months: number | null;
  /** In service, verified in the window. */
  verified: number;
  /** In service, fell due in the window and still overdue. */
  lapsed: number;
  /** In service, overdue before the horizon starts. */
  backlog: number;
}

export interface AuthorisationRow {
  user_id: string;
  instrument_type_id: string | null;
  valid_from: string;
  valid_until: string | null;
}

/** The forecast's SQL, on the registry's and auth's published read models only (`*_v`). */
@Injectable()
export class ForecastRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Instruments in service falling due in [start, end), by type, commune and month. */
  due(start: string, end: string): Promise<DueGroupRow[]> {
    return this.db.query(
      `SELECT instrument_type_id AS type_id, commune_unit_id AS commune_id,
              date_trunc('month', next_due_date)::date::text AS month, count(*)::int AS n
         FROM registry_instrument_v
        WHERE status = 'in_service' AND next_due_date >= $1 AND next_due_date < $2
        GROUP BY 1, 2, 3`,
      [start, end],
    );
  }

  /**
   * Per type with instruments in service: the cycle in force, how many were verified in
   * [windowStart, today), how many fell due in that window and are still overdue, and the backlog
   * overdue before `start`.
   */
  types(windowStart: string, today: string, start: string): Promise<TypeHistoryRow[]> {
    return this.db.query(
      `SELECT i.instrument_type_id AS type_id, t.code, t.name_vi AS name, c.cycle_months,
              count(*) FILTER (WHERE i.last_verification_date >= $1 AND i.last_verification_date < $2)::int AS verified,
              count(*) FILTER (WHERE i.next_due_date >= $1 AND i.next_due_date < $2)::int AS lapsed,
              count(*) FILTER (WHERE i.next_due_date < $3)::int AS backlog
         FROM registry_instrument_v i
         JOIN registry_instrument_type_v t ON t.id = i.instrument_type_id
         LEFT JOIN registry_type_cycle_v c ON c.instrument_type_id = i.instrument_type_id
        WHERE i.status = 'in_service'
        GROUP BY 1, 2, 3, 4`,
      [windowStart, today, start],
    );
  }

  /** Authorisations to perform periodic verification that overlap [start, end). */
  authorisations(start: string, end: string): Promise<AuthorisationRow[]> {
    return this.db.query(
      `SELECT user_id, instrument_type_id, valid_from::text AS valid_from, valid_until::text AS valid_until
         FROM auth_authorisation_v
        WHERE activity = 'perform' AND service = 'verification_periodic'
          AND valid_from < $2 AND (valid_until IS NULL OR valid_until >= $1)`,
      [start, end],
    );
  }

  async communeNames(ids: string[]): Promise<Map<string, string>> {
    const rows = (await this.db.query(`SELECT id, name FROM registry_admin_unit_v WHERE id = ANY($1::uuid[])`, [
      ids,
    ])) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
