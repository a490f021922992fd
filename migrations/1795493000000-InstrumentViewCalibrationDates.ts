import { MigrationInterface, QueryRunner } from 'typeorm';

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

  public async down(): Promise<void> {
    // A view's columns cannot be removed in place (only by dropping it and the rollups built on it);
    // the appended columns are harmless to the code before this migration, and ReportingViews' down
    // drops the whole view.
  }
}
