import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /audit?actor=: one actor's entries in id order without reading the whole trail. */
export class AuditActorIndex1795472000000 implements MigrationInterface {
  name = 'AuditActorIndex1795472000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_audit_event_actor" ON "audit_event" ("actor_id", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_actor"`);
  }
}
