import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMeasurementStandards1795435237506 implements MigrationInterface {
  name = 'CreateMeasurementStandards1795435237506';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "measurement_standard" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" text NOT NULL,
                "name" text NOT NULL,
                "level" text NOT NULL,
                "quantity" text NOT NULL,
                "unit" text NOT NULL,
                "range_min" numeric,
                "range_max" numeric,
                "accuracy_class" text,
                "uncertainty" numeric,
                "coverage_factor" numeric,
                "manufacturer" text,
                "model" text,
                "serial_number" text,
                "custodian_section" text,
                "status" text NOT NULL DEFAULT 'in_service',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_measurement_standard_status" CHECK (
                    "status" IN ('in_service', 'out_of_service', 'retired')
                ),
                CONSTRAINT "CHK_measurement_standard_level" CHECK ("level" IN ('reference', 'working', 'check')),
                CONSTRAINT "PK_603a69bdd1bf12f293c55c0f84b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_measurement_standard_code" ON "measurement_standard" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "standard_calibration" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "standard_id" uuid NOT NULL,
                "issuing_lab" text NOT NULL,
                "certificate_number" text NOT NULL,
                "calibration_date" date NOT NULL,
                "due_date" date NOT NULL,
                "traceable_to_standard_id" uuid,
                "external_reference_kind" text,
                "external_reference_name" text,
                "notes" text,
                "recorded_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_standard_calibration_link" CHECK (
                    (
                        "traceable_to_standard_id" IS NOT NULL
                        AND "external_reference_kind" IS NULL
                        AND "external_reference_name" IS NULL
                    )
                    OR (
                        "traceable_to_standard_id" IS NULL
                        AND "external_reference_kind" IN ('national_standard', 'accredited_lab')
                        AND "external_reference_name" IS NOT NULL
                    )
                ),
                CONSTRAINT "CHK_standard_calibration_dates" CHECK ("due_date" >= "calibration_date"),
                CONSTRAINT "PK_752e3f846807cd199b24ed64f08" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_standard_calibration_parent" ON "standard_calibration" ("traceable_to_standard_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_standard_calibration_date" ON "standard_calibration" ("standard_id", "calibration_date")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_standard_calibration_number" ON "standard_calibration" ("standard_id", "certificate_number")
        `);
    await queryRunner.query(`
            CREATE TABLE "standard_calibration_value" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "calibration_id" uuid NOT NULL,
                "ordinal" integer NOT NULL,
                "nominal" numeric NOT NULL,
                "value" numeric,
                "unit" text NOT NULL,
                "expanded_uncertainty" numeric NOT NULL,
                "coverage_factor" numeric NOT NULL,
                CONSTRAINT "CHK_standard_calibration_value_u" CHECK (
                    "expanded_uncertainty" >= 0
                    AND "coverage_factor" > 0
                ),
                CONSTRAINT "PK_9a9609db05e1d160c8b09a8c5c8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_standard_calibration_value_ordinal" ON "standard_calibration_value" ("calibration_id", "ordinal")
        `);
    await queryRunner.query(`
            CREATE TABLE "standard_check" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "standard_id" uuid NOT NULL,
                "check_date" date NOT NULL,
                "performed_by" text NOT NULL,
                "passed" boolean NOT NULL,
                "notes" text,
                "recorded_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_589194a6fdbf82c85b762d1e6e3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_standard_check_date" ON "standard_check" ("standard_id", "check_date")
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration"
            ADD CONSTRAINT "FK_1b7720b49557e131d046517441b" FOREIGN KEY ("standard_id") REFERENCES "measurement_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration"
            ADD CONSTRAINT "FK_142d01dbf1bec940e4fc87a3be9" FOREIGN KEY ("traceable_to_standard_id") REFERENCES "measurement_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration_value"
            ADD CONSTRAINT "FK_adb579476f752fd3eb7d3a11e61" FOREIGN KEY ("calibration_id") REFERENCES "standard_calibration"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_check"
            ADD CONSTRAINT "FK_205d817e4cb102bea00420182b6" FOREIGN KEY ("standard_id") REFERENCES "measurement_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "standard_check" DROP CONSTRAINT "FK_205d817e4cb102bea00420182b6"
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration_value" DROP CONSTRAINT "FK_adb579476f752fd3eb7d3a11e61"
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration" DROP CONSTRAINT "FK_142d01dbf1bec940e4fc87a3be9"
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration" DROP CONSTRAINT "FK_1b7720b49557e131d046517441b"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_standard_check_date"
        `);
    await queryRunner.query(`
            DROP TABLE "standard_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_standard_calibration_value_ordinal"
        `);
    await queryRunner.query(`
            DROP TABLE "standard_calibration_value"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_standard_calibration_number"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_standard_calibration_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_standard_calibration_parent"
        `);
    await queryRunner.query(`
            DROP TABLE "standard_calibration"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_measurement_standard_code"
        `);
    await queryRunner.query(`
            DROP TABLE "measurement_standard"
        `);
  }
}
