import { MigrationInterface, QueryRunner } from 'typeorm';
/** The application's role (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

const VIEWS = [
  'registry_instrument_type_v',
  'registry_admin_unit_v',
  'registry_instrument_v',
  'registry_type_cycle_v',
  'registry_standard_v',
  'requests_item_v',
  'certificates_issued_v',
  'auth_authorisation_v',
] as const;

/**
 * Read models the reporting library (statistics, forecast) reads instead of other libraries' tables.
 * Each view is owned by the library whose tables it reads (named after it, `_v`), documented in its
 * README as published: reporting depends on these columns, not on the tables behind them.
 *   registry_instrument_type_v, registry_admin_unit_v   registry: type codes and names, unit names
 *   registry_instrument_v   registry: instruments with type, current commune, status and due date
 *   registry_type_cycle_v   registry: each type's verification cycle in force today
 *   registry_standard_v     registry: standards (not retired) with their latest certificate's due date
 *   requests_item_v         requests: request items with their request's organization and dates
 *   certificates_issued_v   certificates: issued certificates with the receipt date printed on them
 *   auth_authorisation_v    auth: personnel authorisations in force (not revoked, active staff)
 * and the reporting library's own rollups of certificates per day and dimension and of their
 * turnaround per day and type (materialised views, refreshed by the statistics service when older
 * than its age limit, or on demand).
 */
export class ReportingViews1795477100000 implements MigrationInterface {
  name = 'ReportingViews1795477100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW registry_instrument_type_v AS SELECT id, code, name_vi FROM instrument_type`);
    await q.query(`CREATE VIEW registry_admin_unit_v AS SELECT id, level, name, parent_id FROM admin_unit`);
    await q.query(`
      CREATE VIEW registry_instrument_v AS
      SELECT i.id, i.instrument_type_id, t.code AS type_code, t.name_vi AS type_name_vi, i.owner_id,
             i.commune_unit_id, cu.name AS commune_name, i.status, i.next_due_date, i.last_verification_date
        FROM instrument i
        JOIN instrument_type t ON t.id = i.instrument_type_id
        LEFT JOIN admin_unit cu ON cu.id = i.commune_unit_id`);
    await q.query(`
      CREATE VIEW registry_type_cycle_v AS
      SELECT DISTINCT ON (c.instrument_type_id) c.instrument_type_id, c.cycle_months
        FROM instrument_type_cycle c
       WHERE c.effective_from <= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
       ORDER BY c.instrument_type_id, c.effective_from DESC`);
    await q.query(`
      CREATE VIEW registry_standard_v AS
      SELECT s.id, s.status,
             (SELECT max(c.due_date) FROM standard_calibration c WHERE c.standard_id = s.id) AS due_date
        FROM measurement_standard s
       WHERE s.status <> 'retired'`);
    await q.query(`
      CREATE VIEW requests_item_v AS
      SELECT it.id, it.request_id, r.organization_id, it.instrument_id, it.service,
             r.created_at AS requested_at, it.received_at
        FROM request_item it
        JOIN service_request r ON r.id = it.request_id`);
    await q.query(`
      CREATE VIEW certificates_issued_v AS
      SELECT c.id, c.instrument_id, c.organization_id, c.kind, c.service, c.outcome, c.issue_date,
             (c.model->>'receiptDate')::date AS receipt_date, c.revoked_at
        FROM certificate c`);
    await q.query(`
      CREATE VIEW auth_authorisation_v AS
      SELECT a.user_id, a.instrument_type_id, a.service, a.activity, a.valid_from, a.valid_until
        FROM staff_authorisation a
        JOIN staff_user u ON u.id = a.user_id
       WHERE a.revoked_at IS NULL AND u.active`);
    // Two rollups: counts per day and dimension, and the turnaround histogram per day and type (one
    // rollup with both would have a row per certificate's turnaround in each commune: as large as the data).
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
    // Read-only for the application; the rollup is refreshed through a function that runs as its owner.
    for (const v of [...VIEWS, 'reporting_certificate_rollup', 'reporting_turnaround_rollup'])
      await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${v} FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT ON reporting_certificate_rollup, reporting_turnaround_rollup TO ${APP_ROLE}`);
    await q.query(`
      CREATE FUNCTION reporting_refresh_rollup() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS
      $$ REFRESH MATERIALIZED VIEW CONCURRENTLY reporting_certificate_rollup;
         REFRESH MATERIALIZED VIEW CONCURRENTLY reporting_turnaround_rollup $$`);
    await q.query(`REVOKE ALL ON FUNCTION reporting_refresh_rollup() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION reporting_refresh_rollup() TO ${APP_ROLE}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION reporting_refresh_rollup()`);
    await q.query(`DROP MATERIALIZED VIEW reporting_turnaround_rollup`);
    await q.query(`DROP MATERIALIZED VIEW reporting_certificate_rollup`);
    for (const v of [...VIEWS].reverse()) await q.query(`DROP VIEW ${v}`);
  }
}
