import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1795434674656 implements MigrationInterface {
  name = 'CreateOutbox1795434674656';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "outbox_message" (
                "id" BIGSERIAL NOT NULL,
                "job_name" text NOT NULL,
                "job_id" text NOT NULL,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "dispatched_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_outbox_message_pending" ON "outbox_message" ("id")
            WHERE "dispatched_at" IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_outbox_message_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_message"
        `);
  }
}
