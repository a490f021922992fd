import { MigrationInterface, QueryRunner } from 'typeorm';

/** The sectors as of this migration (libs/registry/src/organizations/sector.ts; a new one is a new migration). */
const SECTOR_CHECK = `"sector" IS NULL OR "sector" IN ('fuel_retail', 'trade_markets', 'health', 'industry', 'construction', 'transport', 'utilities', 'education_research', 'public_administration', 'other')`;

/** The application's role (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

/** The certificate rollup of 1795477100000-ReportingViews, with or without the owner's sector. */
function rollup(withSector: boolean): string {
  return `
    CREATE MATERIALIZED VIEW reporting_certificate_rollup AS
    SELECT c.issue_date, i.instrument_type_id, c.service,
           CASE WHEN c.outcome IN ('pass', 'conditional_pass') THEN 'pass'
                WHEN c.outcome IN ('fail', 'conditional_fail') THEN 'fail' ELSE 'none' END AS verdict,
           i.commune_unit_id,${withSector ? ' o.sector,' : ''} count(*)::int AS certificates
      FROM certificates_issued_v c
      LEFT JOIN registry_instrument_v i ON i.id = c.instrument_id${
        withSector
          ? `\n      LEFT JOIN registry_organization_v o ON o.id = coalesce(i.owner_id, c.organization_id)`
          : ''
      }
     WHERE c.revoked_at IS NULL
     GROUP BY ${withSector ? '1, 2, 3, 4, 5, 6' : '1, 2, 3, 4, 5'}`;
}

/**
 * The customer's sector (lĩnh vực, libs/registry/src/organizations/sector.ts), published for the
 * reporting library in `registry_organization_v` (id, name, sector), and the certificate rollup
 * grouped by it too: the sector of the instrument's current owner (of the certificate's organization
 * for a sample, which has no instrument).
 */
export class CustomerSector1795484000000 implements MigrationInterface {
  name = 'CustomerSector1795484000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organization" ADD "sector" text`);
    await q.query(`ALTER TABLE "organization" ADD CONSTRAINT "CHK_organization_sector" CHECK (${SECTOR_CHECK})`);
    await q.query(`CREATE VIEW registry_organization_v AS SELECT id, name, sector FROM organization`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON registry_organization_v FROM ${APP_ROLE}`);
    await q.query(`DROP MATERIALIZED VIEW reporting_certificate_rollup`);
    await q.query(rollup(true));
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_certificate_rollup" ON reporting_certificate_rollup
        (issue_date, instrument_type_id, service, verdict, commune_unit_id, sector) NULLS NOT DISTINCT`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON reporting_certificate_rollup FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT ON reporting_certificate_rollup TO ${APP_ROLE}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP MATERIALIZED VIEW reporting_certificate_rollup`);
    await q.query(rollup(false));
    await q.query(`
      CREATE UNIQUE INDEX "UQ_reporting_certificate_rollup" ON reporting_certificate_rollup
        (issue_date, instrument_type_id, service, verdict, commune_unit_id) NULLS NOT DISTINCT`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON reporting_certificate_rollup FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT ON reporting_certificate_rollup TO ${APP_ROLE}`);
    await q.query(`DROP VIEW registry_organization_v`);
    await q.query(`ALTER TABLE "organization" DROP CONSTRAINT "CHK_organization_sector"`);
    await q.query(`ALTER TABLE "organization" DROP COLUMN "sector"`);
  }
}
