import { MigrationInterface, QueryRunner } from 'typeorm';

export class MpeRulesAndUnits1795440000000 implements MigrationInterface {
  name = 'MpeRulesAndUnits1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "instrument_type_mpe_rule" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instrument_type_id" uuid NOT NULL,
                "services" text array NOT NULL,
                "rule" jsonb NOT NULL,
                "multiplier" numeric NOT NULL DEFAULT '1',
                "source_document" text NOT NULL,
                "source_clause" text,
                "source_note" text,
                "confidence" text NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "confirmed_by" uuid,
                "confirmed_against" text,
                "seed_key" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instrument_type_mpe_rule_confirmation" CHECK (
                    ("confirmed_at" IS NULL) = ("confirmed_by" IS NULL)
                    AND ("confirmed_at" IS NULL) = ("confirmed_against" IS NULL)
                ),
                CONSTRAINT "CHK_instrument_type_mpe_rule_multiplier" CHECK ("multiplier" > 0),
                CONSTRAINT "CHK_instrument_type_mpe_rule_services" CHECK (
                    "services" <@ ARRAY ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration']::text []
                    AND cardinality("services") > 0
                ),
                CONSTRAINT "CHK_instrument_type_mpe_rule_confidence" CHECK (
                    "confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE')
                ),
                CONSTRAINT "PK_97f256185715e562f821f2ce40a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instrument_type_mpe_rule_seed" ON "instrument_type_mpe_rule" ("instrument_type_id", "seed_key")
        `);
    // A rule staff entered on a type before rules had sources becomes the centre's own rule.
    await queryRunner.query(`
            INSERT INTO "instrument_type_mpe_rule" ("instrument_type_id", "services", "rule", "source_document", "confidence")
            SELECT t."id",
                   ARRAY(SELECT s FROM unnest(t."services") s WHERE s <> 'testing'),
                   t."mpe_rule",
                   'entered by the centre (before rules carried their source)',
                   'CENTRE'
              FROM "instrument_type" t
             WHERE t."mpe_rule" IS NOT NULL AND cardinality(array_remove(t."services", 'testing')) > 0
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type" DROP COLUMN "mpe_rule"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type"
            ADD "capability_divisor" numeric NOT NULL DEFAULT '3'
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type"
            ADD "capability_enforced" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument"
            ADD "resolution_unit" text
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument"
            ADD "scale_interval" numeric
        `);
    // Quantities carry units: existing rows take the type's unit where theirs is missing.
    await queryRunner.query(`
            UPDATE "instrument" i
               SET "range_unit" = COALESCE(i."range_unit", t."unit"),
                   "resolution_unit" = CASE WHEN i."resolution" IS NULL THEN NULL ELSE t."unit" END
              FROM "instrument_type" t
             WHERE t."id" = i."instrument_type_id"
               AND (i."range_min" IS NOT NULL OR i."range_max" IS NOT NULL OR i."resolution" IS NOT NULL)
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type"
            ADD CONSTRAINT "CHK_instrument_type_capability_divisor" CHECK ("capability_divisor" >= 1)
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type_mpe_rule"
            ADD CONSTRAINT "FK_c58c7791d827684f5e65770e861" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instrument_type_mpe_rule" DROP CONSTRAINT "FK_c58c7791d827684f5e65770e861"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type" DROP CONSTRAINT "CHK_instrument_type_capability_divisor"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument" DROP COLUMN "scale_interval"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument" DROP COLUMN "resolution_unit"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type" DROP COLUMN "capability_enforced"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type" DROP COLUMN "capability_divisor"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type"
            ADD "mpe_rule" jsonb
        `);
    await queryRunner.query(`
            UPDATE "instrument_type" t SET "mpe_rule" = r."rule"
              FROM "instrument_type_mpe_rule" r
             WHERE r."instrument_type_id" = t."id" AND r."confidence" = 'CENTRE'
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instrument_type_mpe_rule_seed"
        `);
    await queryRunner.query(`
            DROP TABLE "instrument_type_mpe_rule"
        `);
  }
}
