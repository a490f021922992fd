import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the application connects as (1795452000000-ApplicationRoleGrants). */
const APP_ROLE = 'tdc_app';

/**
 * A batch entry names the records it covers in `after.recordIds` (libs/audit README: one entry per
 * spreadsheet import instead of one per instrument); `audit_event_record` holds one row per record
 * named, so GET /audit?id= finds the entry by any of them. Append-only, like audit_event.
 */
export class AuditEventRecords1795485000000 implements MigrationInterface {
  name = 'AuditEventRecords1795485000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_event_record" (
                "record_id" text NOT NULL,
                "entity_id" text NOT NULL,
                CONSTRAINT "PK_audit_event_record" PRIMARY KEY ("record_id", "entity_id")
            )
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_record_no_update_delete BEFORE UPDATE OR DELETE ON "audit_event_record"
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_record_no_truncate BEFORE TRUNCATE ON "audit_event_record"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        `);
    await queryRunner.query(`GRANT SELECT, INSERT ON "audit_event_record" TO ${APP_ROLE}`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event_record" FROM ${APP_ROLE}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_event_record"`);
  }
}
