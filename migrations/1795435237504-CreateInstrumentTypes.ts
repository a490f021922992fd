import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInstrumentTypes1795435237504 implements MigrationInterface {
  name = 'CreateInstrumentTypes1795435237504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "instrument_type" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" text NOT NULL,
                "name_vi" text NOT NULL,
                "name_en" text NOT NULL,
                "measured_quantity" text NOT NULL,
                "unit" text NOT NULL,
                "services" text array NOT NULL DEFAULT '{}',
                "type_approval_required" boolean NOT NULL DEFAULT false,
                "procedures" jsonb NOT NULL DEFAULT '[]',
                "mpe_rule" jsonb,
                "active" boolean NOT NULL DEFAULT true,
                "data_quality" text NOT NULL DEFAULT 'confirmed',
                "source_note" text,
                "staff_edited_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instrument_type_services" CHECK (
                    "services" <@ ARRAY ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration', 'testing']::text []
                ),
                CONSTRAINT "CHK_instrument_type_data_quality" CHECK ("data_quality" IN ('confirmed', 'uncertain')),
                CONSTRAINT "PK_4baf0e8d1d9ae48679b44c6065b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instrument_type_code" ON "instrument_type" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "instrument_type_cycle" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instrument_type_id" uuid NOT NULL,
                "cycle_months" integer,
                "effective_from" date NOT NULL,
                "legal_basis" text NOT NULL,
                "note" text,
                "data_quality" text NOT NULL DEFAULT 'confirmed',
                "created_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instrument_type_cycle_data_quality" CHECK ("data_quality" IN ('confirmed', 'uncertain')),
                CONSTRAINT "CHK_instrument_type_cycle_months" CHECK (
                    "cycle_months" IS NULL
                    OR "cycle_months" > 0
                ),
                CONSTRAINT "PK_17c7cfc8abcc1b10da800698b39" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instrument_type_cycle_from" ON "instrument_type_cycle" ("instrument_type_id", "effective_from")
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_type_cycle"
            ADD CONSTRAINT "FK_218b14060e9b1a79fecf2319666" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instrument_type_cycle" DROP CONSTRAINT "FK_218b14060e9b1a79fecf2319666"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instrument_type_cycle_from"
        `);
    await queryRunner.query(`
            DROP TABLE "instrument_type_cycle"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instrument_type_code"
        `);
    await queryRunner.query(`
            DROP TABLE "instrument_type"
        `);
  }
}
