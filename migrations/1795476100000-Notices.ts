import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices (libs/notices): recall notices (one per organization and period; `recall_notice_item`'s
 * primary key (instrument, due date, period) is the "never twice" rule), the opt-out, the e-mail
 * delivery log, standards found out of tolerance with the certificates they put in doubt and the
 * decision on each (one notice per finding and customer: `UQ_notice_finding_organization`).
 */
export class Notices1795476100000 implements MigrationInterface {
  name = 'Notices1795476100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notice_preference" ("organization_id" uuid NOT NULL, "recall_notices" boolean NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9e455a3a81a7edb0e621809f6dc" PRIMARY KEY ("organization_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "standard_finding" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard_id" uuid NOT NULL, "source" text NOT NULL, "evidence_id" uuid NOT NULL, "found_on" date NOT NULL, "period_from" date, "reason" text NOT NULL, "recorded_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_standard_finding_period" CHECK ("period_from" IS NULL OR "period_from" <= "found_on"), CONSTRAINT "CHK_standard_finding_source" CHECK ("source" IN ('intermediate_check', 'calibration')), CONSTRAINT "PK_b63da650a28c7d82ae3f9968bba" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_standard_finding_evidence" ON "standard_finding"  ("evidence_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_standard_finding_standard" ON "standard_finding"  ("standard_id", "found_on")`,
    );
    await queryRunner.query(
      `CREATE TABLE "notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "organization_id" uuid NOT NULL, "period" text, "finding_id" uuid, "content" jsonb NOT NULL, "webhook_deliveries" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_notice_shape" CHECK (("kind" = 'recall' AND "period" IS NOT NULL AND "finding_id" IS NULL) OR ("kind" = 'out_of_tolerance' AND "period" IS NULL AND "finding_id" IS NOT NULL)), CONSTRAINT "CHK_notice_kind" CHECK ("kind" IN ('recall', 'out_of_tolerance')), CONSTRAINT "PK_705062b14410ff1a04998f86d72" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_notice_finding_organization" ON "notice"  ("finding_id", "organization_id") WHERE "finding_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_notice_created" ON "notice"  ("created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notice_organization" ON "notice"  ("organization_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "recall_notice_item" ("instrument_id" uuid NOT NULL, "due_date" date NOT NULL, "period" text NOT NULL, "notice_id" uuid NOT NULL, CONSTRAINT "PK_cc199edd9ec1a62a6d531848061" PRIMARY KEY ("instrument_id", "due_date", "period"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_recall_notice_item_notice" ON "recall_notice_item"  ("notice_id")`);
    await queryRunner.query(
      `CREATE TABLE "email_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notice_id" uuid NOT NULL, "recipients" text array NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "state" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "message_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "settled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_email_delivery_state" CHECK ("state" IN ('pending', 'sent', 'logged', 'failed')), CONSTRAINT "PK_a39c05a113fa6130d51558e809a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_email_delivery_notice" ON "email_delivery"  ("notice_id")`);
    await queryRunner.query(
      `CREATE TABLE "finding_certificate" ("finding_id" uuid NOT NULL, "certificate_id" uuid NOT NULL, "certificate_number" text NOT NULL, "organization_id" uuid NOT NULL, "measurement_date" date NOT NULL, "decision" text, "decision_note" text, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_finding_certificate_decision" CHECK ("decision" IS NULL OR "decision" IN ('no_impact', 'recall', 'reissue')), CONSTRAINT "PK_b59a042f0e5fcd718904e053f7a" PRIMARY KEY ("finding_id", "certificate_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_finding_certificate_organization" ON "finding_certificate"  ("finding_id", "organization_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "notice" ADD CONSTRAINT "FK_notice_finding" FOREIGN KEY ("finding_id") REFERENCES "standard_finding"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "recall_notice_item" ADD CONSTRAINT "FK_recall_notice_item_notice" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "email_delivery" ADD CONSTRAINT "FK_email_delivery_notice" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "finding_certificate" ADD CONSTRAINT "FK_finding_certificate_finding" FOREIGN KEY ("finding_id") REFERENCES "standard_finding"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'finding_certificate',
      'email_delivery',
      'recall_notice_item',
      'notice',
      'standard_finding',
      'notice_preference',
    ])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
