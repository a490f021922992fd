import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the application connects as (migration 1795452000000). */
const APP_ROLE = 'tdc_app';

/**
 * Read-only views a library publishes for other libraries to join in their own SQL, as part of its
 * documented contract (named in its README beside its cross-library module): `<library>_<what>_v`.
 * The owning library keeps a view's columns when it changes its tables; another library's SQL may
 * name a published view, never the tables behind it. The application role may only read them
 * (ALTER DEFAULT PRIVILEGES would have let it write through these simple views).
 *
 * - registry_instrument_card_v (registry): an instrument as a document prints it — identity, type,
 *   range, place of use and its current owner (customer) with the owner's contacts.
 * - requests_item_card_v (requests): a request item with what its request says about it — ordinal,
 *   label, receipt, place of work.
 * - auth_staff_name_v (auth): a staff member's name, nothing of the account.
 */
const VIEWS: Record<string, string> = {
  registry_instrument_card_v: `
    SELECT i.id AS instrument_id, i.instrument_type_id, t.code AS type_code, t.name_vi AS type_name_vi,
           t.name_en AS type_name_en, i.manufacturer, i.model, i.serial_number, i.accuracy_class,
           i.range_min, i.range_max, i.range_unit, i.resolution, i.resolution_unit, i.site_name,
           i.street_address, i.owner_id, o.name AS owner_name, o.tax_code AS owner_tax_code,
           o.street_address AS owner_street_address, o.ward AS owner_ward, o.district AS owner_district,
           o.province AS owner_province, o.contacts AS owner_contacts
      FROM instrument i
      JOIN instrument_type t ON t.id = i.instrument_type_id
      JOIN organization o ON o.id = i.owner_id`,
  requests_item_card_v: `
    SELECT ri.id AS item_id, ri.request_id, r.number AS request_number, r.organization_id, ri.ordinal,
           ri.instrument_id, ri.service, ri.status, ri.label_id, ri.received_at, ri.condition_on_receipt,
           r.place, r.site_address
      FROM request_item ri
      JOIN service_request r ON r.id = ri.request_id`,
  auth_staff_name_v: `SELECT u.id AS staff_id, u.full_name FROM staff_user u`,
};

export class PublishedReadViews1795471000000 implements MigrationInterface {
  name = 'PublishedReadViews1795471000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, sql] of Object.entries(VIEWS)) {
      await queryRunner.query(`CREATE VIEW "${name}" AS ${sql}`);
      await queryRunner.query(`REVOKE ALL ON "${name}" FROM ${APP_ROLE}`);
      await queryRunner.query(`GRANT SELECT ON "${name}" TO ${APP_ROLE}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(VIEWS).reverse()) await queryRunner.query(`DROP VIEW "${name}"`);
  }
}
