import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateServiceRequests1795437533016 implements MigrationInterface {
  name = 'CreateServiceRequests1795437533016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "service_request" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'submitted',
                "place" text NOT NULL,
                "site_address" text,
                "preferred_date" date,
                "notes" text,
                "item_count" integer NOT NULL,
                "submitted_by_kind" text NOT NULL,
                "submitted_by_id" text NOT NULL,
                "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_service_request_submitted_by" CHECK ("submitted_by_kind" IN ('business', 'staff')),
                CONSTRAINT "CHK_service_request_site_address" CHECK (
                    "place" <> 'on_site'
                    OR "site_address" IS NOT NULL
                ),
                CONSTRAINT "CHK_service_request_place" CHECK ("place" IN ('lab', 'on_site')),
                CONSTRAINT "CHK_service_request_status" CHECK (
                    "status" IN (
                        'submitted',
                        'accepted',
                        'scheduled',
                        'in_progress',
                        'completed',
                        'rejected',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_08446fa58294cb2dd0b6ff9e5a7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_service_request_status" ON "service_request" ("status", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_service_request_organization" ON "service_request" ("organization_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_service_request_created" ON "service_request" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "request_item" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "ordinal" integer NOT NULL,
                "instrument_id" uuid NOT NULL,
                "instrument_type_id" uuid NOT NULL,
                "service" text NOT NULL,
                "conformity_statement_requested" boolean NOT NULL DEFAULT false,
                "decision_rule" text,
                "notes" text,
                "status" text NOT NULL DEFAULT 'submitted',
                "status_reason" text,
                "technician_id" uuid,
                "scheduled_date" date,
                "label_id" text,
                "condition_on_receipt" text,
                "received_at" TIMESTAMP WITH TIME ZONE,
                "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_request_item_scheduled" CHECK (
                    ("technician_id" IS NULL) = ("scheduled_date" IS NULL)
                ),
                CONSTRAINT "CHK_request_item_conformity" CHECK (
                    (
                        "conformity_statement_requested"
                        AND "service" = 'calibration'
                        AND "decision_rule" IN ('simple', 'guarded')
                    )
                    OR (
                        NOT "conformity_statement_requested"
                        AND "decision_rule" IS NULL
                    )
                ),
                CONSTRAINT "CHK_request_item_service" CHECK (
                    "service" IN (
                        'verification_initial',
                        'verification_periodic',
                        'verification_after_repair',
                        'calibration',
                        'testing'
                    )
                ),
                CONSTRAINT "CHK_request_item_status" CHECK (
                    "status" IN (
                        'submitted',
                        'accepted',
                        'rejected',
                        'scheduled',
                        'received',
                        'in_progress',
                        'results_approved',
                        'certificate_issued',
                        'returned',
                        'closed',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_56dd6bc5f964de3ddbf8f75d63b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_request_item_work_list" ON "request_item" ("technician_id", "scheduled_date", "id")
            WHERE "technician_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_request_item_instrument" ON "request_item" ("instrument_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_request_item_label" ON "request_item" ("label_id")
            WHERE "label_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_request_item_ordinal" ON "request_item" ("request_id", "ordinal")
        `);
    await queryRunner.query(`
            CREATE TABLE "request_history" (
                "id" BIGSERIAL NOT NULL,
                "request_id" uuid NOT NULL,
                "item_id" uuid,
                "from_status" text,
                "to_status" text NOT NULL,
                "reason" text,
                "details" jsonb,
                "actor_kind" text NOT NULL,
                "actor_id" text,
                "actor_name" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_225faa48c0dca41172e29f4cb9c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_request_history_item" ON "request_history" ("item_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_request_history_request" ON "request_history" ("request_id", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "service_request"
            ADD CONSTRAINT "FK_7ace3c58881ada9b5028dc1b4e3" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item"
            ADD CONSTRAINT "FK_44394e3098853b23e6063024104" FOREIGN KEY ("request_id") REFERENCES "service_request"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item"
            ADD CONSTRAINT "FK_6306abe7bca3725e1fdd3f15400" FOREIGN KEY ("instrument_id") REFERENCES "instrument"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item"
            ADD CONSTRAINT "FK_195be4258c27d57226680e7eb8a" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item"
            ADD CONSTRAINT "FK_40d5ce8c998a8465a89aca94e82" FOREIGN KEY ("technician_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_history"
            ADD CONSTRAINT "FK_6ebdc8efebc3beaf49aa75ba6ac" FOREIGN KEY ("request_id") REFERENCES "service_request"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "request_history"
            ADD CONSTRAINT "FK_11f1f314ee8558a9e15bc592e64" FOREIGN KEY ("item_id") REFERENCES "request_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Hand-written (TypeORM cannot express triggers): the history is append-only, like the audit trail.
    await queryRunner.query(`
            CREATE FUNCTION request_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'request_history is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER request_history_no_update_delete BEFORE UPDATE OR DELETE ON "request_history"
            FOR EACH ROW EXECUTE FUNCTION request_history_append_only()
        `);
    await queryRunner.query(`
            CREATE TRIGGER request_history_no_truncate BEFORE TRUNCATE ON "request_history"
            FOR EACH STATEMENT EXECUTE FUNCTION request_history_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER request_history_no_truncate ON "request_history"`);
    await queryRunner.query(`DROP TRIGGER request_history_no_update_delete ON "request_history"`);
    await queryRunner.query(`DROP FUNCTION request_history_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "request_history" DROP CONSTRAINT "FK_11f1f314ee8558a9e15bc592e64"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_history" DROP CONSTRAINT "FK_6ebdc8efebc3beaf49aa75ba6ac"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item" DROP CONSTRAINT "FK_40d5ce8c998a8465a89aca94e82"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item" DROP CONSTRAINT "FK_195be4258c27d57226680e7eb8a"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item" DROP CONSTRAINT "FK_6306abe7bca3725e1fdd3f15400"
        `);
    await queryRunner.query(`
            ALTER TABLE "request_item" DROP CONSTRAINT "FK_44394e3098853b23e6063024104"
        `);
    await queryRunner.query(`
            ALTER TABLE "service_request" DROP CONSTRAINT "FK_7ace3c58881ada9b5028dc1b4e3"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_request_history_request"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_request_history_item"
        `);
    await queryRunner.query(`
            DROP TABLE "request_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_request_item_ordinal"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_request_item_label"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_request_item_instrument"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_request_item_work_list"
        `);
    await queryRunner.query(`
            DROP TABLE "request_item"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_service_request_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_service_request_organization"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_service_request_status"
        `);
    await queryRunner.query(`
            DROP TABLE "service_request"
        `);
  }
}
