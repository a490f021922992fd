import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch entry names the records it covers in `after.recordIds` (libs/audit README: one entry per
 * spreadsheet import instead of one per instrument); GET /audit?id= finds it by any of them through
 * this index (`@>` on the array), without reading the whole trail.
 */
export class AuditRecordIdsIndex1795485000000 implements MigrationInterface {
  name = 'AuditRecordIdsIndex1795485000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_event_record_ids" ON "audit_event" USING gin (("after" -> 'recordIds') jsonb_path_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_record_ids"`);
  }
}
