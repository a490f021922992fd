import { MigrationInterface, QueryRunner } from 'typeorm';
import { ReportingRollupGrains1795485100000 } from './1795485100000-ReportingRollupGrains.js';

/** The application's role (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

/**
 * The registry's published instrument read model (registry_instrument_v, ReportingViews) gains the
 * calibration dates (CalibrationDueDates): the statistics count instruments overdue for calibration
 * and the demand forecast counts calibrations falling due, not only verifications. Columns are
 * appended, so the views built on it (the reporting rollups) stay as they are.
 */
export class InstrumentViewCalibrationDates1795493000000 implements MigrationInterface {
  name = 'InstrumentViewCalibrationDates1795493000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE VIEW registry_instrument_v AS
      SELECT i.id, i.instrument_type_id, t.code AS type_code, t.name_vi AS type_name_vi, i.owner_id,
             i.commune_unit_id, cu.name AS commune_name, i.status, i.next_due_date, i.last_verification_date,
             i.calibration_interval_months, i.last_calibration_date, i.next_calibration_date
        FROM instrument i
        JOIN instrument_type t ON t.id = i.instrument_type_id
        LEFT JOIN admin_unit cu ON cu.id = i.commune_unit_id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // A view's columns cannot be removed in place: the rollups built on it (ReportingRollupGrains) are
    // dropped, the view is made again as ReportingViews made it, and the rollups again as they were.
    const rollups = new ReportingRollupGrains1795485100000();
    await q.query(`DROP FUNCTION reporting_refresh_rollup()`);
    for (const v of ['reporting_item_rollup', 'reporting_turnaround_rollup', 'reporting_certificate_rollup'])
      await q.query(`DROP MATERIALIZED VIEW ${v}`);
    await q.query(`DROP VIEW registry_instrument_v`);
    await q.query(`
      CREATE VIEW registry_instrument_v AS
      SELECT i.id, i.instrument_type_id, t.code AS type_code, t.name_vi AS type_name_vi, i.owner_id,
             i.commune_unit_id, cu.name AS commune_name, i.status, i.next_due_date, i.last_verification_date
        FROM instrument i
        JOIN instrument_type t ON t.id = i.instrument_type_id
        LEFT JOIN admin_unit cu ON cu.id = i.commune_unit_id`);
    await q.query(`REVOKE ALL ON registry_instrument_v FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT ON registry_instrument_v TO ${APP_ROLE}`);
    await rollups.createRollups(q);
  }
}
