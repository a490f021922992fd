import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Samples in requests (issue 14, part B1). A request item is about an instrument or a test sample
 * (`request_item.subject_kind`): a sample's item has no instrument nor type and its service is
 * `testing`, and `testing` is a sample's service only. The sample's own data (`test_sample`, keyed by
 * the item), its portions and its chain of custody (append-only) belong to libs/testing.
 *
 * down refuses (NOT NULL on instrument_id) while sample items exist: they cannot be expressed in the
 * older schema.
 */
export class TestSamples1795474000000 implements MigrationInterface {
  name = 'TestSamples1795474000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "test_sample" ("request_item_id" uuid NOT NULL, "product_id" uuid NOT NULL, "level" text, "grade" text, "lot" text, "quantity" numeric NOT NULL, "quantity_unit" text NOT NULL, "packaging" text, "sampled_by" text NOT NULL, "sampler_name" text, "sampling_place" text, "sampled_at" TIMESTAMP WITH TIME ZONE, "sampling_method" text, "seal_numbers" text array NOT NULL DEFAULT '{}', "storage" text, "retain_until" date, "decision_rule" text NOT NULL DEFAULT 'simple', "inspection_reference" text, "inspection_authority" text, "results_released_at" TIMESTAMP WITH TIME ZONE, "results_released_by" uuid, "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_sample_release" CHECK (("results_released_at" IS NULL) = ("results_released_by" IS NULL) AND ("results_released_at" IS NULL OR "inspection_reference" IS NOT NULL)), CONSTRAINT "CHK_test_sample_inspection" CHECK (("sampled_by" = 'inspector') = ("inspection_reference" IS NOT NULL)), CONSTRAINT "CHK_test_sample_decision_rule" CHECK ("decision_rule" IN ('simple', 'guarded')), CONSTRAINT "CHK_test_sample_quantity" CHECK ("quantity" > 0), CONSTRAINT "CHK_test_sample_sampler" CHECK ("sampled_by" = 'customer' OR "sampler_name" IS NOT NULL), CONSTRAINT "CHK_test_sample_sampled_by" CHECK ("sampled_by" IN ('customer', 'centre', 'inspector')), CONSTRAINT "PK_7768f106dc94f679a6a0caf80e5" PRIMARY KEY ("request_item_id"))
    `);
    await queryRunner.query(`
      CREATE INDEX "IDX_test_sample_product" ON "test_sample"  ("product_id")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_sample_portion" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_item_id" uuid NOT NULL, "suffix" text NOT NULL, "code" text NOT NULL, "quantity" numeric, "quantity_unit" text, "purpose" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_sample_portion_quantity" CHECK (("quantity" IS NULL) = ("quantity_unit" IS NULL) AND ("quantity" IS NULL OR "quantity" > 0)), CONSTRAINT "PK_a2fe824067abe3941283fce5cee" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_sample_portion_suffix" ON "test_sample_portion"  ("request_item_id", "suffix")
    `);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "UQ_test_sample_portion_code" ON "test_sample_portion"  ("code")
    `);
    await queryRunner.query(`
      CREATE TABLE "test_sample_custody_event" ("id" BIGSERIAL NOT NULL, "request_item_id" uuid NOT NULL, "portion_id" uuid, "kind" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "handled_by" text, "subcontractor" text, "location" text, "notes" text, "details" jsonb, "actor_kind" text NOT NULL, "actor_id" text, "actor_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_test_sample_custody_event_split" CHECK ("kind" <> 'split' OR "portion_id" IS NULL), CONSTRAINT "CHK_test_sample_custody_event_subcontractor" CHECK ("kind" <> 'subcontracted' OR "subcontractor" IS NOT NULL), CONSTRAINT "CHK_test_sample_custody_event_kind" CHECK ("kind" IN ('split', 'stored', 'subcontracted', 'returned_from_subcontractor', 'returned_to_customer', 'disposed')), CONSTRAINT "PK_3dacf19a1d1de045ef26a625f54" PRIMARY KEY ("id"))
    `);
    await queryRunner.query(`
      CREATE INDEX "IDX_test_sample_custody_event_sample" ON "test_sample_custody_event"  ("request_item_id", "id")
    `);
    await queryRunner.query(`
      ALTER TABLE "request_item" ADD "subject_kind" text NOT NULL DEFAULT 'instrument'
    `);
    await queryRunner.query(`
      ALTER TABLE "request_item" ALTER COLUMN "instrument_id" DROP NOT NULL
    `);
    await queryRunner.query(`
      ALTER TABLE "request_item" ALTER COLUMN "instrument_type_id" DROP NOT NULL
    `);
    await queryRunner.query(`
      ALTER TABLE "request_item" ADD CONSTRAINT "CHK_request_item_subject" CHECK (("subject_kind" = 'instrument' AND "instrument_id" IS NOT NULL AND "instrument_type_id" IS NOT NULL AND "service" <> 'testing') OR ("subject_kind" = 'sample' AND "instrument_id" IS NULL AND "instrument_type_id" IS NULL AND "service" = 'testing'))
    `);
    await queryRunner.query(`
      ALTER TABLE "request_item" ADD CONSTRAINT "CHK_request_item_subject_kind" CHECK ("subject_kind" IN ('instrument', 'sample'))
    `);
    await queryRunner.query(`
      ALTER TABLE "test_sample" ADD CONSTRAINT "FK_7768f106dc94f679a6a0caf80e5" FOREIGN KEY ("request_item_id") REFERENCES "request_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_sample" ADD CONSTRAINT "FK_426092d62cb7751a6d5ec86edc2" FOREIGN KEY ("product_id") REFERENCES "test_product"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_sample_portion" ADD CONSTRAINT "FK_6784be825fa9e985294a1e2c83c" FOREIGN KEY ("request_item_id") REFERENCES "test_sample"("request_item_id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_sample_custody_event" ADD CONSTRAINT "FK_026eae8b6fb23ce684060600829" FOREIGN KEY ("request_item_id") REFERENCES "test_sample"("request_item_id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "test_sample_custody_event" ADD CONSTRAINT "FK_36be3564d83b5644b517b6dfb70" FOREIGN KEY ("portion_id") REFERENCES "test_sample_portion"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
    `);
    // Hand-written (TypeORM cannot express triggers): the chain of custody is append-only, like request_history.
    await queryRunner.query(`
      CREATE FUNCTION test_sample_custody_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
          RAISE EXCEPTION 'test_sample_custody_event is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER test_sample_custody_no_update_delete BEFORE UPDATE OR DELETE ON "test_sample_custody_event"
      FOR EACH ROW EXECUTE FUNCTION test_sample_custody_append_only()
    `);
    await queryRunner.query(`
      CREATE TRIGGER test_sample_custody_no_truncate BEFORE TRUNCATE ON "test_sample_custody_event"
      FOR EACH STATEMENT EXECUTE FUNCTION test_sample_custody_append_only()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "test_sample_custody_event"`);
    await queryRunner.query(`DROP FUNCTION test_sample_custody_append_only()`);
    await queryRunner.query(`DROP TABLE "test_sample_portion"`);
    await queryRunner.query(`DROP TABLE "test_sample"`);
    await queryRunner.query(`ALTER TABLE "request_item" DROP CONSTRAINT "CHK_request_item_subject_kind"`);
    await queryRunner.query(`ALTER TABLE "request_item" DROP CONSTRAINT "CHK_request_item_subject"`);
    await queryRunner.query(`ALTER TABLE "request_item" ALTER COLUMN "instrument_type_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "request_item" ALTER COLUMN "instrument_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "request_item" DROP COLUMN "subject_kind"`);
  }
}
