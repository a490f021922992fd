import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox no longer trusts the queue to keep what it was given: a dispatched message stays
 * "unsettled" until a worker's reconciliation sees its job finish or its effect in the database
 * (then `settled_at`, and how, in `outcome`); until then a job the queue lost is enqueued again.
 * Rows dispatched before this migration start unsettled: the first sweeps look at each once.
 */
export class OutboxReconciliation1795451000000 implements MigrationInterface {
  name = 'OutboxReconciliation1795451000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "settled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "outcome" text`);
    await queryRunner.query(`
            CREATE INDEX "IDX_outbox_message_unsettled" ON "outbox_message" ("id")
            WHERE "dispatched_at" IS NOT NULL AND "settled_at" IS NULL
        `);
    await queryRunner.query(`CREATE INDEX "IDX_outbox_message_job_id" ON "outbox_message" ("job_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_message_job_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_message_unsettled"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "outcome"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "settled_at"`);
  }
}
