import { MigrationInterface, QueryRunner } from 'typeorm';

/** The sectors as of this migration (libs/registry/src/organizations/sector.ts; a new one is a new migration). */
const SECTOR_CHECK = `"sector" IS NULL OR "sector" IN ('fuel_retail', 'trade_markets', 'health', 'industry', 'construction', 'transport', 'utilities', 'education_research', 'public_administration', 'other')`;

/** The application's role (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

/**
 * The customer's sector (lĩnh vực, libs/registry/src/organizations/sector.ts), published for the
 * reporting library in `registry_organization_v` (id, name, sector). The rollups count by it from
 * ReportingRollupGrains on: the sector of the instrument's current owner (of the certificate's or
 * request's organization for a sample, which has no instrument).
 */
export class CustomerSector1795484000000 implements MigrationInterface {
  name = 'CustomerSector1795484000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organization" ADD "sector" text`);
    await q.query(`ALTER TABLE "organization" ADD CONSTRAINT "CHK_organization_sector" CHECK (${SECTOR_CHECK})`);
    await q.query(`CREATE VIEW registry_organization_v AS SELECT id, name, sector FROM organization`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON registry_organization_v FROM ${APP_ROLE}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW registry_organization_v`);
    await q.query(`ALTER TABLE "organization" DROP CONSTRAINT "CHK_organization_sector"`);
    await q.query(`ALTER TABLE "organization" DROP COLUMN "sector"`);
  }
}
