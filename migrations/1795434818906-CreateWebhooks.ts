import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1795434818906 implements MigrationInterface {
  name = 'CreateWebhooks1795434818906';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_endpoint" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "url" text NOT NULL,
                "secret" text NOT NULL,
                "events" text array NOT NULL,
                "description" text,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_endpoint_organization" ON "webhook_endpoint" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "endpoint_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "event_type" text NOT NULL,
                "payload" jsonb NOT NULL,
                "state" text NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_status_code" integer,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_delivery_endpoint" ON "webhook_delivery" ("endpoint_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_attempt" (
                "id" BIGSERIAL NOT NULL,
                "delivery_id" uuid NOT NULL,
                "attempt_no" integer NOT NULL,
                "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "status_code" integer,
                "duration_ms" integer NOT NULL,
                "error" text,
                CONSTRAINT "PK_e4ff77b66cdd20591ba6189a1f9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_attempt_delivery" ON "webhook_attempt" ("delivery_id", "attempt_no")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_endpoint"
            ADD CONSTRAINT "FK_e5800fed79898bb7202e9312276" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery"
            ADD CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_attempt"
            ADD CONSTRAINT "FK_d7ed48c4841159bfd6bdee166ea" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_attempt" DROP CONSTRAINT "FK_d7ed48c4841159bfd6bdee166ea"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_f53f5aec02217a54927b13e39d9"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_endpoint" DROP CONSTRAINT "FK_e5800fed79898bb7202e9312276"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_attempt_delivery"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_attempt"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_delivery_endpoint"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_endpoint_organization"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_endpoint"
        `);
  }
}
