import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calibration due dates (issue 15: recall when "verification or calibration falls due"). An
 * instrument keeps the calibration interval its owner chose (none by default: a calibration has no
 * legal interval), its last calibration (not revoked) and the next calibration date derived from
 * both, recomputed with its service history (libs/registry NEXT_CALIBRATION). Existing instruments
 * get their last calibration from their history; with no interval yet they have no next date. A
 * recall notice row names the service it recalls for: the once-only key becomes (instrument,
 * service, due date, period); the rows so far were all verification recalls.
 */
export class CalibrationDueDates1795484100000 implements MigrationInterface {
  name = 'CalibrationDueDates1795484100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "instrument" ADD "calibration_interval_months" smallint`);
    await q.query(`ALTER TABLE "instrument" ADD "last_calibration_date" date`);
    await q.query(`ALTER TABLE "instrument" ADD "next_calibration_date" date`);
    await q.query(
      `ALTER TABLE "instrument" ADD CONSTRAINT "CHK_instrument_calibration_interval" CHECK ("calibration_interval_months" IS NULL OR "calibration_interval_months" BETWEEN 1 AND 120)`,
    );
    await q.query(`
      UPDATE instrument i SET last_calibration_date = r.performed_on
        FROM (SELECT instrument_id, max(performed_on) AS performed_on FROM instrument_service_record
               WHERE service = 'calibration' AND revoked_on IS NULL GROUP BY instrument_id) r
       WHERE r.instrument_id = i.id`);
    await q.query(
      `CREATE INDEX "IDX_instrument_calibration_due" ON "instrument" ("next_calibration_date", "id") WHERE "status" = 'in_service' AND "next_calibration_date" IS NOT NULL`,
    );
    await q.query(`ALTER TABLE "recall_notice_item" ADD "service" text NOT NULL DEFAULT 'verification'`);
    await q.query(`ALTER TABLE "recall_notice_item" ALTER COLUMN "service" DROP DEFAULT`);
    await q.query(
      `ALTER TABLE "recall_notice_item" ADD CONSTRAINT "CHK_recall_notice_item_service" CHECK ("service" IN ('verification', 'calibration'))`,
    );
    await q.query(`ALTER TABLE "recall_notice_item" DROP CONSTRAINT "PK_cc199edd9ec1a62a6d531848061"`);
    await q.query(
      `ALTER TABLE "recall_notice_item" ADD CONSTRAINT "PK_cbeddd53adefd76f9e6d5391dd1" PRIMARY KEY ("instrument_id", "service", "due_date", "period")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // The calibration recalls go with their key: the old key cannot tell them from verification ones.
    await q.query(`DELETE FROM "recall_notice_item" WHERE "service" = 'calibration'`);
    await q.query(`ALTER TABLE "recall_notice_item" DROP CONSTRAINT "PK_cbeddd53adefd76f9e6d5391dd1"`);
    await q.query(
      `ALTER TABLE "recall_notice_item" ADD CONSTRAINT "PK_cc199edd9ec1a62a6d531848061" PRIMARY KEY ("instrument_id", "due_date", "period")`,
    );
    await q.query(`ALTER TABLE "recall_notice_item" DROP CONSTRAINT "CHK_recall_notice_item_service"`);
    await q.query(`ALTER TABLE "recall_notice_item" DROP COLUMN "service"`);
    await q.query(`DROP INDEX "public"."IDX_instrument_calibration_due"`);
    await q.query(`ALTER TABLE "instrument" DROP CONSTRAINT "CHK_instrument_calibration_interval"`);
    await q.query(`ALTER TABLE "instrument" DROP COLUMN "next_calibration_date"`);
    await q.query(`ALTER TABLE "instrument" DROP COLUMN "last_calibration_date"`);
    await q.query(`ALTER TABLE "instrument" DROP COLUMN "calibration_interval_months"`);
  }
}
