import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

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

export interface Label {
  id: string;
  code: string | null;
  name: string;
}

const DIMENSION = `CASE WHEN GROUPING(instrument_type_id) = 0 THEN 'type' WHEN GROUPING(service) = 0 THEN 'service'
                        WHEN GROUPING(commune_unit_id) = 0 THEN 'commune' WHEN GROUPING(sector) = 0 THEN 'sector'
                        ELSE 'total' END`;

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

  certificateGroups(from: string, to: string): Promise<CertificateGroupRow[]> {
    return this.db.query(
      `SELECT CASE WHEN GROUPING(verdict) = 0 THEN 'verdict' ELSE ${DIMENSION} END AS dimension,
              coalesce(instrument_type_id::text, service, verdict, commune_unit_id::text, sector) AS key,
              sum(certificates)::int AS certificates,
              coalesce(sum(certificates) FILTER (WHERE verdict = 'pass'), 0)::int AS pass,
              coalesce(sum(certificates) FILTER (WHERE verdict = 'fail'), 0)::int AS fail
         FROM reporting_certificate_rollup
        WHERE issue_date BETWEEN $1 AND $2
        GROUP BY GROUPING SETS ((), (instrument_type_id), (service), (verdict), (commune_unit_id), (sector))`,
      [from, to],
    );
  }

  turnaround(from: string, to: string): Promise<TurnaroundRow[]> {
    return this.db.query(
      `SELECT instrument_type_id AS type_id, GROUPING(instrument_type_id) = 0 AS per_type,
              turnaround_days AS days, sum(certificates)::int AS n
         FROM reporting_turnaround_rollup
        WHERE issue_date BETWEEN $1 AND $2
        GROUP BY GROUPING SETS ((turnaround_days), (instrument_type_id, turnaround_days))`,
      [from, to],
    );
  }

  /**
   * Request items asked for in the period (and their requests), by type, service, commune and sector
   * (the instrument's owner's; the requesting organization's for a sample).
   */
  items(from: string, to: string): Promise<CountGroupRow[]> {
    return this.db.query(
      `SELECT ${DIMENSION} AS dimension, coalesce(instrument_type_id::text, service, commune_unit_id::text, sector) AS key,
              count(*)::int AS n, count(DISTINCT request_id)::int AS requests
         FROM (SELECT it.request_id, it.service, i.instrument_type_id, i.commune_unit_id, o.sector
                 FROM requests_item_v it
                 LEFT JOIN registry_instrument_v i ON i.id = it.instrument_id
                 LEFT JOIN registry_organization_v o ON o.id = coalesce(i.owner_id, it.organization_id)
                WHERE it.requested_at >= $1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                  AND it.requested_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') x
        GROUP BY GROUPING SETS ((), (instrument_type_id), (service), (commune_unit_id), (sector))`,
      [from, to],
    );
  }

  /** Instruments in service whose verification is overdue on `today`, by type, commune and owner's sector. */
  overdue(today: string): Promise<CountGroupRow[]> {
    return this.db.query(
      `SELECT CASE WHEN GROUPING(instrument_type_id) = 0 THEN 'type'
                   WHEN GROUPING(commune_unit_id) = 0 THEN 'commune'
                   WHEN GROUPING(sector) = 0 THEN 'sector' ELSE 'total' END AS dimension,
              coalesce(instrument_type_id::text, commune_unit_id::text, sector) AS key, count(*)::int AS n
         FROM registry_instrument_v i
         JOIN registry_organization_v o ON o.id = i.owner_id
        WHERE i.status = 'in_service' AND i.next_due_date < $1
        GROUP BY GROUPING SETS ((), (instrument_type_id), (commune_unit_id), (sector))`,
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
