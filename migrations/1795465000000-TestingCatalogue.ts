import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The testing (thử nghiệm) catalogue: regulations with dated editions, products, parameters (chỉ tiêu),
 * methods with the centre's LOD/LOQ, and specification limits with source, confidence and the admin's
 * confirmation (libs/testing). The rows are seeded at start-up and by `npm run seed:catalogue`.
 */
export class TestingCatalogue1795465000000 implements MigrationInterface {
  name = 'TestingCatalogue1795465000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "test_regulation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "title" text NOT NULL, "kind" text NOT NULL, "issued_by" text, "issued_on" date, "in_force_from" date, "in_force_to" date, "source_note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_regulation_in_force" CHECK ("in_force_from" IS NULL OR "in_force_to" IS NULL OR "in_force_from" <= "in_force_to"), CONSTRAINT "CHK_test_regulation_kind" CHECK ("kind" IN ('technical_regulation', 'standard', 'circular')), CONSTRAINT "PK_d504ad982487d5aeda4a9e37a31" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_regulation_code" ON "test_regulation"  ("code")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_product" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name_vi" text NOT NULL, "name_en" text NOT NULL, "levels" text array NOT NULL DEFAULT '{}', "grades" text array NOT NULL DEFAULT '{}', "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1a137ddceee85b754b0c0e16d68" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_product_code" ON "test_product"  ("code")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_product_regulation" ("product_id" uuid NOT NULL, "regulation_id" uuid NOT NULL, "clause" text, CONSTRAINT "PK_e8b03321bb9758ac3f494ad935d" PRIMARY KEY ("product_id", "regulation_id"))
    `);
    await queryRunner.query(`
      CREATE TABLE "test_parameter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "code" text NOT NULL, "name_vi" text NOT NULL, "name_en" text NOT NULL, "unit" text NOT NULL, "result_type" text NOT NULL, "allowed_values" text array, "position" integer NOT NULL, "note" text, CONSTRAINT "CHK_test_parameter_categories" CHECK (("result_type" = 'categorical') = ("allowed_values" IS NOT NULL AND cardinality("allowed_values") > 0)), CONSTRAINT "CHK_test_parameter_result_type" CHECK ("result_type" IN ('numeric', 'numeric_with_qualifier', 'categorical', 'text', 'report_only')), CONSTRAINT "PK_4f28f8d564d6a707f6a85b09025" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_parameter_code" ON "test_parameter"  ("product_id", "code")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_method" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "parameter_id" uuid NOT NULL, "code" text NOT NULL, "equivalent" text, "note" text, "lod" numeric, "loq" numeric, "accredited" boolean NOT NULL DEFAULT false, "position" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_method_limits" CHECK (("lod" IS NULL OR "lod" >= 0) AND ("loq" IS NULL OR "loq" >= 0)), CONSTRAINT "PK_959663002ecc960c1c960e14e66" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_method_code" ON "test_method"  ("parameter_id", "code")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_spec_limit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "parameter_id" uuid NOT NULL, "regulation_id" uuid NOT NULL, "level" text, "grade" text, "season" text, "season_from" text, "season_to" text, "kind" text NOT NULL, "min" numeric, "max" numeric, "allowed_values" text array, "limit_text" text, "source_document" text NOT NULL, "source_note" text, "confidence" text NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmed_by" uuid, "confirmed_against" text, "seed_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_spec_limit_confirmation" CHECK (("confirmed_at" IS NULL) = ("confirmed_by" IS NULL) AND ("confirmed_at" IS NULL) = ("confirmed_against" IS NULL)), CONSTRAINT "CHK_test_spec_limit_kind" CHECK (("kind" = 'min' AND "min" IS NOT NULL AND "max" IS NULL AND "allowed_values" IS NULL)
   OR ("kind" = 'max' AND "max" IS NOT NULL AND "min" IS NULL AND "allowed_values" IS NULL)
   OR ("kind" = 'range' AND "min" IS NOT NULL AND "max" IS NOT NULL AND "min" <= "max" AND "allowed_values" IS NULL)
   OR ("kind" = 'categorical_set' AND "min" IS NULL AND "max" IS NULL AND "allowed_values" IS NOT NULL AND cardinality("allowed_values") > 0)
   OR ("kind" = 'none' AND "min" IS NULL AND "max" IS NULL AND "allowed_values" IS NULL)), CONSTRAINT "CHK_test_spec_limit_season_dates" CHECK (("season_from" IS NULL) = ("season_to" IS NULL) AND ("season_from" IS NULL OR "season" IS NOT NULL)), CONSTRAINT "CHK_test_spec_limit_season" CHECK ("season" IS NULL OR "season" IN ('summer', 'winter')), CONSTRAINT "CHK_test_spec_limit_confidence" CHECK ("confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE')), CONSTRAINT "PK_635be7f1125c6e83355044b4be8" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE INDEX "IDX_test_spec_limit_regulation" ON "test_spec_limit"  ("regulation_id")
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_spec_limit_seed" ON "test_spec_limit"  ("parameter_id", "seed_key")
    `);
    await queryRunner.query(`
      ALTER TABLE "test_product_regulation" ADD CONSTRAINT "FK_69a8be3e7bbd1313d7cf9472c39" FOREIGN KEY ("product_id") REFERENCES "test_product"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_product_regulation" ADD CONSTRAINT "FK_8fef716fe4c9dd3e0d089234eb8" FOREIGN KEY ("regulation_id") REFERENCES "test_regulation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_parameter" ADD CONSTRAINT "FK_b49ea3f33a0229fd76a71d4623c" FOREIGN KEY ("product_id") REFERENCES "test_product"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_method" ADD CONSTRAINT "FK_be104b4380495767515cc652def" FOREIGN KEY ("parameter_id") REFERENCES "test_parameter"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_spec_limit" ADD CONSTRAINT "FK_1731109d7712c4842a3548f74b5" FOREIGN KEY ("parameter_id") REFERENCES "test_parameter"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_spec_limit" ADD CONSTRAINT "FK_59297f6d83eec8f7dc0eb565d0f" FOREIGN KEY ("regulation_id") REFERENCES "test_regulation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "test_spec_limit"`);
    await queryRunner.query(`DROP TABLE "test_method"`);
    await queryRunner.query(`DROP TABLE "test_parameter"`);
    await queryRunner.query(`DROP TABLE "test_product_regulation"`);
    await queryRunner.query(`DROP TABLE "test_product"`);
    await queryRunner.query(`DROP TABLE "test_regulation"`);
  }
}
