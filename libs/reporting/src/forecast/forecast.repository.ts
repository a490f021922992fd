import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The services the forecast counts: periodic verification (legal cycle) and calibration (the owner's interval). */
export const FORECAST_SERVICES = ['verification_periodic', 'calibration'] as const;
export type ForecastService = (typeof FORECAST_SERVICES)[number];

export interface DueGroupRow {
  type_id: string;
  service: ForecastService;
  commune_id: string | null;
  /** First day of the month the due dates fall in. */
  month: string;
  /** The interval after which they fall due again: the type's cycle in force, or the owner's calibration interval. */
  cycle_months: number | null;
  n: number;
}

export interface TypeHistoryRow {
  type_id: string;
  service: ForecastService;
  code: string;
  name: string;
  /** The verification cycle in force; null for calibration (each owner chooses an interval). */
  cycle_months: number | null;
  /** In service, verified (calibrated) in the window. */
  verified: number;
  /** In service, fell due in the window and still overdue. */
  lapsed: number;
  /** In service, overdue before the horizon starts. */
  backlog: number;
}

export interface AuthorisationRow {
  user_id: string;
  instrument_type_id: string | null;
  service: ForecastService;
  valid_from: string;
  valid_until: string | null;
}

/**
 * Each instrument in service once per service it is due for: periodic verification by its next due
 * date; calibration by its next calibration date, only when its owner set an interval (a calibration
 * has no legal cycle).
 */
const DUE_BY_SERVICE = `
  SELECT i.instrument_type_id, i.commune_unit_id, s.service, s.last_date, s.next_date, s.cycle_months
    FROM registry_instrument_v i
    LEFT JOIN registry_type_cycle_v c ON c.instrument_type_id = i.instrument_type_id
   CROSS JOIN LATERAL (VALUES
           ('verification_periodic', i.last_verification_date, i.next_due_date, c.cycle_months),
           ('calibration', i.last_calibration_date, i.next_calibration_date, i.calibration_interval_months::int)
         ) s(service, last_date, next_date, cycle_months)
   WHERE i.status = 'in_service'
     AND (s.service = 'verification_periodic' OR i.calibration_interval_months IS NOT NULL)`;

/** The forecast's SQL, on the registry's and auth's published read models only (`*_v`). */
@Injectable()
export class ForecastRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Instruments in service falling due in [start, end), by type, service, commune, month and interval. */
  due(start: string, end: string): Promise<DueGroupRow[]> {
    return this.db.query(
      `SELECT instrument_type_id AS type_id, service, commune_unit_id AS commune_id,
              date_trunc('month', next_date)::date::text AS month, cycle_months, count(*)::int AS n
         FROM (${DUE_BY_SERVICE}) d
        WHERE next_date >= $1 AND next_date < $2
        GROUP BY 1, 2, 3, 4, 5`,
      [start, end],
    );
  }

  /**
   * Per type and service with instruments in service: the verification cycle in force, how many were
   * verified (calibrated) in [windowStart, today), how many fell due in that window and are still
   * overdue, and the backlog overdue before `start`.
   */
  types(windowStart: string, today: string, start: string): Promise<TypeHistoryRow[]> {
    return this.db.query(
      `SELECT d.instrument_type_id AS type_id, d.service, t.code, t.name_vi AS name,
              CASE WHEN d.service = 'verification_periodic' THEN c.cycle_months END AS cycle_months,
              count(*) FILTER (WHERE d.last_date >= $1 AND d.last_date < $2)::int AS verified,
              count(*) FILTER (WHERE d.next_date >= $1 AND d.next_date < $2)::int AS lapsed,
              count(*) FILTER (WHERE d.next_date < $3)::int AS backlog
         FROM (${DUE_BY_SERVICE}) d
         JOIN registry_instrument_type_v t ON t.id = d.instrument_type_id
         LEFT JOIN registry_type_cycle_v c ON c.instrument_type_id = d.instrument_type_id
        GROUP BY 1, 2, 3, 4, 5`,
      [windowStart, today, start],
    );
  }

  /** Authorisations to perform periodic verification or calibration that overlap [start, end). */
  authorisations(start: string, end: string): Promise<AuthorisationRow[]> {
    return this.db.query(
      `SELECT user_id, instrument_type_id, service, valid_from::text AS valid_from, valid_until::text AS valid_until
         FROM auth_authorisation_v
        WHERE activity = 'perform' AND service = ANY($3::text[])
          AND valid_from < $2 AND (valid_until IS NULL OR valid_until >= $1)`,
      [start, end, FORECAST_SERVICES],
    );
  }

  async communeNames(ids: string[]): Promise<Map<string, string>> {
    const rows = (await this.db.query(`SELECT id, name FROM registry_admin_unit_v WHERE id = ANY($1::uuid[])`, [
      ids,
    ])) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
