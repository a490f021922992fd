import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyAndAudit1795434561891 implements MigrationInterface {
  name = 'CreateIdempotencyAndAudit1795434561891';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_event" (
                "id" BIGSERIAL NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_kind" text NOT NULL,
                "actor_id" text,
                "actor_name" text,
                "entity" text NOT NULL,
                "entity_id" text NOT NULL,
                "action" text NOT NULL,
                "before" jsonb,
                "after" jsonb,
                "reason" text,
                CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_audit_event_entity" ON "audit_event" ("entity", "entity_id", "id")
        `);
    // ISO/IEC 17025 7.5: the audit trail is append-only; the database itself refuses changes.
    await queryRunner.query(`
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON "audit_event"
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        `);
    await queryRunner.query(`
            CREATE TABLE "idempotency_record" (
                "scope" text NOT NULL,
                "key" text NOT NULL,
                "method" text NOT NULL,
                "path" text NOT NULL,
                "request_hash" text NOT NULL,
                "state" text NOT NULL,
                "response_status" integer,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_43ea3d50a854b79e2f59aaad8a8" PRIMARY KEY ("scope", "key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_idempotency_record_expires_at" ON "idempotency_record" ("expires_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_idempotency_record_expires_at"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_record"
        `);
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event"`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_update_delete ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_append_only()`);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_event_entity"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_event"
        `);
  }
}
