import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

/** Each rollup's row, for a day and again for its month (the month's rows are the sums of its days'). */
const GRAINS = (columns: string, sums: string, from: string): string => `
      SELECT 'day'::text AS grain, day AS period_start, ${columns}, ${sums.replace(/sum\((\w+)\)/g, '$1')} FROM ${from}
      UNION ALL
      SELECT 'month', date_trunc('month', day)::date, ${columns}, ${sums} FROM ${from}
       GROUP BY 2, ${columns}`;

/** Which one dimension a grouping-set row counts (the rows of no dimension are the totals). */
const DIMENSION = `CASE WHEN GROUPING(x.type_id) = 0 THEN 'type' WHEN GROUPING(x.service) = 0 THEN 'service'
                    WHEN GROUPING(x.commune_id) = 0 THEN 'commune' WHEN GROUPING(x.sector) = 0 THEN 'sector'
                    ELSE 'total' END`;
/** Its key: the type or commune id, the service, or the owner's sector (null: not stated). */
const KEY = `coalesce(x.type_id::text, x.service, x.commune_id::text, x.sector)`;

/**
 * The statistics' rollups by dimension and grain (issue 15: GET /statistics under 1 s over 10,000,000
 * certificates). ReportingViews rolled certificates up per day × type × service × verdict × commune:
 * at 10,000,000 certificates that is millions of rows (every type meets every commune on most days),
 * so a year read most of them. The statistics never cross two dimensions, so each row now counts one
 * dimension's key (type, service, commune or the owner's sector, CustomerSector) per verdict — the totals and the verdicts are the
 * service rows' sums, as every certificate has one service — per day and per month: a period reads
 * its whole months from the month rows and only its partial months' days. Request items get their
 * rollup too (they were counted from the views at every call): items and requests per day and month
 * and per type, service, commune and sector (a request is made on one day, so its distinct count adds up
 * over days and months). The turnaround histogram (type × days) gets the month grain.
 */
export class ReportingRollupGrains1795485100000 implements MigrationInterface {
  name = 'ReportingRollupGrains1795485100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION reporting_refresh_rollup()`);
    await q.query(`DROP MATERIALIZED VIEW reporting_turnaround_rollup`);
    await q.query(`DROP MATERIALIZED VIEW reporting_certificate_rollup`);
    await this.createRollups(q);
  }

  /** The three rollups, their grants and refresher (InstrumentViewCalibrationDates' down makes them again). */
  async createRollups(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE MATERIALIZED VIEW reporting_certificate_rollup AS
      WITH days AS (
        SELECT x.day,
               ${DIMENSION} AS dimension, ${KEY} AS key, x.verdict, count(*)::int AS certificates
          FROM (SELECT c.issue_date AS day, i.instrument_type_id AS type_id, c.service, i.commune_unit_id AS commune_id,
                       o.sector,
                       CASE WHEN c.outcome IN ('pass', 'conditional_pass') THEN 'pass'
                            WHEN c.outcome IN ('fail', 'conditional_fail') THEN 'fail' ELSE 'none' END AS verdict
                  FROM certificates_issued_v c
                  LEFT JOIN registry_instrument_v i ON i.id = c.instrument_id
                  LEFT JOIN registry_organization_v o ON o.id = coalesce(i.owner_id, c.organization_id)
                 WHERE c.revoked_at IS NULL) x
         GROUP BY GROUPING SETS ((x.day, x.type_id, x.verdict), (x.day, x.service, x.verdict),
                                 (x.day, x.commune_id, x.verdict), (x.day, x.sector, x.verdict)))
      ${GRAINS('dimension, key, verdict', 'sum(certificates)::int AS certificates', 'days')}`);
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_certificate_rollup" ON reporting_certificate_rollup
        (grain, period_start, dimension, key, verdict) NULLS NOT DISTINCT`);
    await q.query(`
      CREATE MATERIALIZED VIEW reporting_turnaround_rollup AS
      WITH days AS (
        SELECT c.issue_date AS day, i.instrument_type_id AS type_id, (c.issue_date - c.receipt_date) AS turnaround_days,
               count(*)::int AS certificates
          FROM certificates_issued_v c
          LEFT JOIN registry_instrument_v i ON i.id = c.instrument_id
         WHERE c.revoked_at IS NULL AND c.receipt_date IS NOT NULL
         GROUP BY 1, 2, 3)
      ${GRAINS('type_id, turnaround_days', 'sum(certificates)::int AS certificates', 'days')}`);
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_turnaround_rollup" ON reporting_turnaround_rollup
        (grain, period_start, type_id, turnaround_days) NULLS NOT DISTINCT`);
    await q.query(`
      CREATE MATERIALIZED VIEW reporting_item_rollup AS
      WITH days AS (
        SELECT x.day,
               ${DIMENSION} AS dimension, ${KEY} AS key,
               count(*)::int AS items, count(DISTINCT x.request_id)::int AS requests
          FROM (SELECT (it.requested_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, it.request_id, it.service,
                       i.instrument_type_id AS type_id, i.commune_unit_id AS commune_id, o.sector
                  FROM requests_item_v it
                  LEFT JOIN registry_instrument_v i ON i.id = it.instrument_id
                  LEFT JOIN registry_organization_v o ON o.id = coalesce(i.owner_id, it.organization_id)) x
         GROUP BY GROUPING SETS ((x.day), (x.day, x.type_id), (x.day, x.service), (x.day, x.commune_id),
                                 (x.day, x.sector)))
      ${GRAINS('dimension, key', 'sum(items)::int AS items, sum(requests)::int AS requests', 'days')}`);
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_item_rollup" ON reporting_item_rollup
        (grain, period_start, dimension, key) NULLS NOT DISTINCT`);
    await this.grantAndRefresher(q, [
      'reporting_certificate_rollup',
      'reporting_turnaround_rollup',
      'reporting_item_rollup',
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION reporting_refresh_rollup()`);
    await q.query(`DROP MATERIALIZED VIEW reporting_item_rollup`);
    await q.query(`DROP MATERIALIZED VIEW reporting_turnaround_rollup`);
    await q.query(`DROP MATERIALIZED VIEW reporting_certificate_rollup`);
    // ReportingViews' definitions.
    await q.query(`
      CREATE MATERIALIZED VIEW reporting_certificate_rollup AS
      SELECT c.issue_date, i.instrument_type_id, c.service,
             CASE WHEN c.outcome IN ('pass', 'conditional_pass') THEN 'pass'
                  WHEN c.outcome IN ('fail', 'conditional_fail') THEN 'fail' ELSE 'none' END AS verdict,
             i.commune_unit_id, count(*)::int AS certificates
        FROM certificates_issued_v c
        LEFT JOIN registry_instrument_v i ON i.id = c.instrument_id
       WHERE c.revoked_at IS NULL
       GROUP BY 1, 2, 3, 4, 5`);
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_certificate_rollup" ON reporting_certificate_rollup
        (issue_date, instrument_type_id, service, verdict, commune_unit_id) NULLS NOT DISTINCT`);
    await q.query(`
      CREATE MATERIALIZED VIEW reporting_turnaround_rollup AS
      SELECT c.issue_date, i.instrument_type_id, (c.issue_date - c.receipt_date) AS turnaround_days,
             count(*)::int AS certificates
        FROM certificates_issued_v c
        LEFT JOIN registry_instrument_v i ON i.id = c.instrument_id
       WHERE c.revoked_at IS NULL AND c.receipt_date IS NOT NULL
       GROUP BY 1, 2, 3`);
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_turnaround_rollup" ON reporting_turnaround_rollup
        (issue_date, instrument_type_id, turnaround_days) NULLS NOT DISTINCT`);
    await this.grantAndRefresher(q, ['reporting_certificate_rollup', 'reporting_turnaround_rollup']);
  }

  /** Read-only for the application; refreshed through a function that runs as the rollups' owner. */
  private async grantAndRefresher(q: QueryRunner, rollups: string[]): Promise<void> {
    for (const v of rollups) {
      await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${v} FROM ${APP_ROLE}`);
      await q.query(`GRANT SELECT ON ${v} TO ${APP_ROLE}`);
    }
    await q.query(`
      CREATE FUNCTION reporting_refresh_rollup() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS
      $$ ${rollups.map((v) => `REFRESH MATERIALIZED VIEW CONCURRENTLY ${v};`).join(' ')} $$`);
    await q.query(`REVOKE ALL ON FUNCTION reporting_refresh_rollup() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION reporting_refresh_rollup() TO ${APP_ROLE}`);
  }
}
