import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInstruments1795435237505 implements MigrationInterface {
  name = 'CreateInstruments1795435237505';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "instrument" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "owner_id" uuid NOT NULL,
                "instrument_type_id" uuid NOT NULL,
                "manufacturer" text NOT NULL,
                "model" text,
                "serial_number" text NOT NULL,
                "accuracy_class" text,
                "range_min" numeric,
                "range_max" numeric,
                "range_unit" text,
                "resolution" numeric,
                "site_name" text,
                "street_address" text,
                "province" text,
                "place_district" text,
                "ward" text,
                "district" text,
                "status" text NOT NULL DEFAULT 'in_service',
                "last_service" text,
                "last_service_date" date,
                "last_result" text,
                "last_certificate_number" text,
                "last_verification_date" date,
                "last_verification_passed" boolean,
                "next_due_date" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instrument_last_result" CHECK (
                    "last_result" IS NULL
                    OR "last_result" IN ('pass', 'fail')
                ),
                CONSTRAINT "CHK_instrument_status" CHECK (
                    "status" IN ('in_service', 'out_of_service', 'scrapped')
                ),
                CONSTRAINT "PK_1707dc7e7c2845211b38bef3d29" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_due_district" ON "instrument" ("district", "next_due_date", "id")
            WHERE "status" = 'in_service'
                AND "next_due_date" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_due_owner" ON "instrument" ("owner_id", "next_due_date", "id")
            WHERE "status" = 'in_service'
                AND "next_due_date" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_due_type" ON "instrument" ("instrument_type_id", "next_due_date", "id")
            WHERE "status" = 'in_service'
                AND "next_due_date" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_due" ON "instrument" ("next_due_date", "id")
            WHERE "status" = 'in_service'
                AND "next_due_date" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_serial" ON "instrument" ("serial_number", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_type" ON "instrument" ("instrument_type_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instrument_identity" ON "instrument" (
                "owner_id",
                "instrument_type_id",
                "manufacturer",
                "serial_number"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "instrument_service_record" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instrument_id" uuid NOT NULL,
                "service" text NOT NULL,
                "performed_on" date NOT NULL,
                "result" text,
                "certificate_number" text,
                "origin" text NOT NULL,
                "recorded_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instrument_service_record_origin" CHECK ("origin" IN ('import', 'approval')),
                CONSTRAINT "CHK_instrument_service_record_result" CHECK (
                    "result" IS NULL
                    OR "result" IN ('pass', 'fail')
                ),
                CONSTRAINT "PK_0e414e4ce6145e3258fc7cd21a1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_service_record_date" ON "instrument_service_record" ("instrument_id", "performed_on")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instrument_service_record" ON "instrument_service_record" ("instrument_id", "service", "performed_on")
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument"
            ADD CONSTRAINT "FK_345c24723cac2d5b046258bfc38" FOREIGN KEY ("owner_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument"
            ADD CONSTRAINT "FK_92337249c714b1d47cb7d3d5c3e" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_service_record"
            ADD CONSTRAINT "FK_43700736dcad92c4d5afd5ee2e0" FOREIGN KEY ("instrument_id") REFERENCES "instrument"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instrument_service_record" DROP CONSTRAINT "FK_43700736dcad92c4d5afd5ee2e0"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument" DROP CONSTRAINT "FK_92337249c714b1d47cb7d3d5c3e"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument" DROP CONSTRAINT "FK_345c24723cac2d5b046258bfc38"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instrument_service_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_service_record_date"
        `);
    await queryRunner.query(`
            DROP TABLE "instrument_service_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instrument_identity"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_serial"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_due_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_due_owner"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_due_district"
        `);
    await queryRunner.query(`
            DROP TABLE "instrument"
        `);
  }
}
