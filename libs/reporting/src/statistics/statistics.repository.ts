import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addDays } from '#libs/registry';
import { monthStart } from '../dates.js';

/** Which dimension a grouped row is for (null columns of the others). */
export type Dimension = 'total' | 'type' | 'service' | 'verdict' | 'commune' | 'sector';

export interface CertificateGroupRow {
  dimension: Dimension;
  key: string | null;
  certificates: number;
  pass: number;
  fail: number;
}

export interface TurnaroundRow {
  type_id: string | null;
  /** null: the histogram over all types. */
  per_type: boolean;
  days: number;
  n: number;
}

export interface CountGroupRow {
  dimension: Dimension;
  key: string | null;
  n: number;
  requests?: number;
}

export interface OverdueGroupRow extends CountGroupRow {
  service: 'verification_periodic' | 'calibration';
}

export interface Label {
  id: string;
  code: string | null;
  name: string;
}

/**
 * The rollup rows of a period: its whole months from the month rows, the days of its partial months
 * from the day rows ($1 from, $2 to, $3–$4 the whole months [start, end), empty when $3 ≥ $4).
 */
const IN_PERIOD = `((grain = 'month' AND period_start >= $3 AND period_start < $4)
                 OR (grain = 'day' AND period_start BETWEEN $1 AND $2 AND NOT (period_start >= $3 AND period_start < $4)))`;

/** The whole months within [from, to]: [first month start ≥ from, first day after the last whole month). */
export function wholeMonths(from: string, to: string): [string, string] {
  const first = from.endsWith('-01') ? from : monthStart(from, 1);
  const dayAfter = addDays(to, 1);
  const end = dayAfter.endsWith('-01') ? dayAfter : monthStart(to);
  return [first, end];
}

const COUNTS = `sum(certificates)::int AS certificates,
                coalesce(sum(certificates) FILTER (WHERE verdict = 'pass'), 0)::int AS pass,
                coalesce(sum(certificates) FILTER (WHERE verdict = 'fail'), 0)::int AS fail`;

/**
 * The statistics' SQL: only the published read models of the other libraries (`*_v` views, see the
 * migration ReportingViews) and this library's own rollup of certificates per day and dimension.
 * Dates are calendar days in Viet Nam.
 */
@Injectable()
export class StatisticsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Refreshes the rollup (as its owner, without blocking readers); the time it was done. */
  async refreshRollup(): Promise<void> {
    await this.db.query(`SELECT reporting_refresh_rollup()`);
  }

  /** Certificates, pass and fail by type, service, commune and sector; the totals and verdicts from the service rows. */
  certificateGroups(from: string, to: string): Promise<CertificateGroupRow[]> {
    return this.db.query(
      `WITH r AS (SELECT dimension, key, verdict, certificates FROM reporting_certificate_rollup WHERE ${IN_PERIOD}),
            s AS (SELECT * FROM r WHERE dimension = 'service')
       SELECT dimension, key, ${COUNTS} FROM r GROUP BY dimension, key
       UNION ALL SELECT 'verdict', verdict, ${COUNTS} FROM s GROUP BY verdict
       UNION ALL SELECT 'total', NULL, ${COUNTS} FROM s HAVING count(*) > 0`,
      [from, to, ...wholeMonths(from, to)],
    );
  }

  /** The turnaround histogram (days → certificates), over all types and per type. */
  turnaround(from: string, to: string): Promise<TurnaroundRow[]> {
    return this.db.query(
      `WITH r AS (SELECT type_id, turnaround_days, certificates FROM reporting_turnaround_rollup WHERE ${IN_PERIOD})
       SELECT type_id, true AS per_type, turnaround_days AS days, sum(certificates)::int AS n FROM r GROUP BY 1, 3
       UNION ALL SELECT NULL, false, turnaround_days, sum(certificates)::int FROM r GROUP BY 3`,
      [from, to, ...wholeMonths(from, to)],
    );
  }

  /**
   * Request items asked for in the period (and their requests), by type, service, commune and sector
   * (the instrument's owner's; the requesting organization's for a sample).
   */
  items(from: string, to: string): Promise<CountGroupRow[]> {
    return this.db.query(
      `SELECT dimension, key, sum(items)::int AS n, sum(requests)::int AS requests
         FROM reporting_item_rollup WHERE ${IN_PERIOD}
        GROUP BY dimension, key`,
      [from, to, ...wholeMonths(from, to)],
    );
  }

  /**
   * Instruments in service overdue on `today`, per service — periodic verification (past the next due
   * date) and calibration (past the next calibration date the owner's interval gives) — by type,
   * commune and owner's sector.
   */
  overdue(today: string): Promise<OverdueGroupRow[]> {
    return this.db.query(
      `SELECT s.service,
              CASE WHEN GROUPING(instrument_type_id) = 0 THEN 'type'
                   WHEN GROUPING(commune_unit_id) = 0 THEN 'commune'
                   WHEN GROUPING(sector) = 0 THEN 'sector' ELSE 'total' END AS dimension,
              coalesce(instrument_type_id::text, commune_unit_id::text, sector) AS key, count(*)::int AS n
         FROM registry_instrument_v i
         JOIN registry_organization_v o ON o.id = i.owner_id
        CROSS JOIN LATERAL (VALUES ('verification_periodic', i.next_due_date), ('calibration', i.next_calibration_date))
              s(service, next_date)
        WHERE i.status = 'in_service' AND s.next_date < $1
        GROUP BY s.service, GROUPING SETS ((), (instrument_type_id), (commune_unit_id), (sector))`,
      [today],
    );
  }

  /** Standards in use whose calibration is due by `until` (or never calibrated), and of those overdue on `today`. */
  async standardsDue(today: string, until: string): Promise<{ due: number; overdue: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE due_date IS NULL OR due_date <= $2)::int AS due,
              count(*) FILTER (WHERE due_date IS NULL OR due_date < $1)::int AS overdue
         FROM registry_standard_v`,
      [today, until],
    )) as { due: number; overdue: number }[];
    return row!;
  }

  /** Names of the types and communes the figures name. */
  async labels(typeIds: string[], communeIds: string[]): Promise<{ types: Label[]; communes: Label[] }> {
    const types = (await this.db.query(
      `SELECT id, code, name_vi AS name FROM registry_instrument_type_v WHERE id = ANY($1::uuid[])`,
      [typeIds],
    )) as Label[];
    const communes = (await this.db.query(
      `SELECT id, NULL AS code, name FROM registry_admin_unit_v WHERE id = ANY($1::uuid[])`,
      [communeIds],
    )) as Label[];
    return { types, communes };
  }
}
