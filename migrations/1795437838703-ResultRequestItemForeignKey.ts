import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ResultRequestItemForeignKey1795437838703 implements MigrationInterface {
  name = 'ResultRequestItemForeignKey1795437838703';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ALTER COLUMN "request_item_id"
            SET NOT NULL
        `);
    // Every result belongs to a request item now: the unique index needs no condition.
    await queryRunner.query(`DROP INDEX "public"."UQ_calibration_result_request_item"`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_request_item" ON "calibration_result" ("request_item_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ADD CONSTRAINT "FK_3f8cef7fa3d261d986ab528801b" FOREIGN KEY ("request_item_id") REFERENCES "request_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calibration_result" DROP CONSTRAINT "FK_3f8cef7fa3d261d986ab528801b"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ALTER COLUMN "request_item_id" DROP NOT NULL
        `);
    await queryRunner.query(`DROP INDEX "public"."UQ_calibration_result_request_item"`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_request_item" ON "calibration_result" ("request_item_id")
            WHERE "request_item_id" IS NOT NULL
        `);
  }
}
