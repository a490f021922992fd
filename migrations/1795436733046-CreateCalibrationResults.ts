import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCalibrationResults1795436733046 implements MigrationInterface {
  name = 'CreateCalibrationResults1795436733046';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "calibration_template" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instrument_type_id" uuid NOT NULL,
                "name" text NOT NULL,
                "services" text array NOT NULL,
                "procedure_code" text NOT NULL,
                "procedure_version" text,
                "points" jsonb NOT NULL,
                "components" jsonb NOT NULL,
                "standard_ids" uuid array NOT NULL DEFAULT '{}',
                "decision_rule" text NOT NULL DEFAULT 'simple',
                "guard_band_factor" numeric,
                "coverage_probability" numeric NOT NULL,
                "temperature_min" numeric,
                "temperature_max" numeric,
                "humidity_min" numeric,
                "humidity_max" numeric,
                "pressure_min" numeric,
                "pressure_max" numeric,
                "active" boolean NOT NULL DEFAULT true,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_calibration_template_rule" CHECK ("decision_rule" IN ('simple', 'guarded')),
                CONSTRAINT "CHK_calibration_template_services" CHECK (
                    "services" <@ ARRAY ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration']::text []
                    AND cardinality("services") > 0
                ),
                CONSTRAINT "PK_a3431d6a6d4f3e6f7615fceaa7b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_template_name" ON "calibration_template" ("instrument_type_id", "name")
        `);
    await queryRunner.query(`
            CREATE TABLE "calibration_result" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_item_id" uuid,
                "instrument_id" uuid NOT NULL,
                "instrument_type_id" uuid NOT NULL,
                "service" text NOT NULL,
                "status" text NOT NULL DEFAULT 'draft',
                "current_revision" integer NOT NULL,
                "approved_revision" integer,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_calibration_result_service" CHECK (
                    "service" IN (
                        'verification_initial',
                        'verification_periodic',
                        'verification_after_repair',
                        'calibration'
                    )
                ),
                CONSTRAINT "CHK_calibration_result_status" CHECK (
                    "status" IN ('draft', 'submitted', 'returned', 'approved')
                ),
                CONSTRAINT "PK_a6e187413b2ae69fb0e3fe0efee" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_calibration_result_instrument" ON "calibration_result" ("instrument_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_request_item" ON "calibration_result" ("request_item_id")
            WHERE "request_item_id" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "calibration_result_revision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "result_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "reason" text,
                "template_id" uuid,
                "procedure_code" text NOT NULL,
                "procedure_version" text,
                "measured_on" date NOT NULL,
                "place" text NOT NULL,
                "temperature" numeric,
                "humidity" numeric,
                "pressure" numeric,
                "environment_limits" jsonb NOT NULL,
                "conformity_requested" boolean NOT NULL,
                "decision_rule" text,
                "guard_band_factor" numeric,
                "decision_rule_source" text,
                "coverage_probability" numeric NOT NULL,
                "adjusted" boolean NOT NULL DEFAULT false,
                "overall_outcome" text,
                "as_found_outcome" text,
                "performed_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "status" text NOT NULL DEFAULT 'draft',
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "submitted_by" uuid,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                "reviewed_by" uuid,
                "review_comment" text,
                CONSTRAINT "CHK_calibration_result_revision_reason" CHECK (
                    "revision" = 1
                    OR "reason" IS NOT NULL
                ),
                CONSTRAINT "CHK_calibration_result_revision_rule" CHECK (
                    "decision_rule" IS NULL
                    OR "decision_rule" IN ('simple', 'guarded')
                ),
                CONSTRAINT "CHK_calibration_result_revision_status" CHECK (
                    "status" IN (
                        'draft',
                        'submitted',
                        'returned',
                        'approved',
                        'superseded'
                    )
                ),
                CONSTRAINT "PK_f7c491f581acfca9959a970e212" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_calibration_result_revision_measured" ON "calibration_result_revision" ("measured_on")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_revision" ON "calibration_result_revision" ("result_id", "revision")
        `);
    await queryRunner.query(`
            CREATE TABLE "calibration_result_standard" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "revision_id" uuid NOT NULL,
                "ordinal" integer NOT NULL,
                "standard_id" uuid NOT NULL,
                "measured_on" date NOT NULL,
                "standard_calibration_id" uuid NOT NULL,
                "standard_code" text NOT NULL,
                "standard_name" text NOT NULL,
                "certificate_number" text NOT NULL,
                "issuing_lab" text NOT NULL,
                "calibration_date" date NOT NULL,
                "due_date" date NOT NULL,
                CONSTRAINT "PK_cefce3777af70f7bedc6c66881c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_calibration_result_standard_standard" ON "calibration_result_standard" ("standard_id", "measured_on")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_standard" ON "calibration_result_standard" ("revision_id", "standard_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "calibration_result_point" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "revision_id" uuid NOT NULL,
                "ordinal" integer NOT NULL,
                "series" text NOT NULL,
                "nominal" numeric NOT NULL,
                "unit" text NOT NULL,
                "reference_value" numeric NOT NULL,
                "readings" numeric array NOT NULL,
                "corrections" jsonb NOT NULL DEFAULT '[]',
                "indicated_mean" numeric NOT NULL,
                "correction_total" numeric NOT NULL,
                "error" numeric NOT NULL,
                "combined_standard_uncertainty" numeric NOT NULL,
                "effective_degrees_of_freedom" numeric,
                "coverage_factor" numeric NOT NULL,
                "expanded_uncertainty" numeric NOT NULL,
                "rounded_expanded_uncertainty" numeric NOT NULL,
                "rounded_error" numeric NOT NULL,
                "mpe" numeric,
                "decision" text,
                "budget" jsonb NOT NULL,
                CONSTRAINT "CHK_calibration_result_point_decision" CHECK (
                    "decision" IS NULL
                    OR "decision" IN (
                        'pass',
                        'conditional_pass',
                        'conditional_fail',
                        'fail'
                    )
                ),
                CONSTRAINT "CHK_calibration_result_point_series" CHECK ("series" IN ('as_found', 'as_left')),
                CONSTRAINT "PK_afaabbbe1b4e2d32d5c5b4a5459" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_calibration_result_point" ON "calibration_result_point" ("revision_id", "ordinal")
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_template"
            ADD CONSTRAINT "FK_b650e6726d9361c4d9fff5f9d07" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ADD CONSTRAINT "FK_732aaf6a264fc6fbf445b6ddbd7" FOREIGN KEY ("instrument_id") REFERENCES "instrument"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ADD CONSTRAINT "FK_370c4c59e0dc3fad08c4b4b1f0d" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result"
            ADD CONSTRAINT "FK_b046049d8fda40544430d951372" FOREIGN KEY ("created_by") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD CONSTRAINT "FK_1214c5d0682f93ad7d86b564b73" FOREIGN KEY ("result_id") REFERENCES "calibration_result"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD CONSTRAINT "FK_b2b985464790e5801c6226a5ec6" FOREIGN KEY ("template_id") REFERENCES "calibration_template"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD CONSTRAINT "FK_d077147495289895a6f546c0f36" FOREIGN KEY ("performed_by") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD CONSTRAINT "FK_30b0f5e97c591d7d8edd3fc419c" FOREIGN KEY ("reviewed_by") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard"
            ADD CONSTRAINT "FK_0ab5b3f3bbeeb4c78c7043dfc82" FOREIGN KEY ("revision_id") REFERENCES "calibration_result_revision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard"
            ADD CONSTRAINT "FK_85d729bf47543ab70a59d48c860" FOREIGN KEY ("standard_id") REFERENCES "measurement_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard"
            ADD CONSTRAINT "FK_efe8c6ec17d8a33ced1f996d14a" FOREIGN KEY ("standard_calibration_id") REFERENCES "standard_calibration"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point"
            ADD CONSTRAINT "FK_2cd5bed4e095a8150d9aeeb4ce5" FOREIGN KEY ("revision_id") REFERENCES "calibration_result_revision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // ISO/IEC 17025 7.5: technical records are never overwritten. A revision's technical columns never
    // change; only its review columns do, and an approved revision not even those. Points and standards
    // used are append-only. Deletions are refused; a correction is a new revision.
    await queryRunner.query(`
            CREATE FUNCTION calibration_result_revision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                review_columns text[] := ARRAY['status', 'submitted_at', 'submitted_by', 'reviewed_at', 'reviewed_by', 'review_comment'];
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION 'calibration_result_revision is never deleted: % refused', TG_OP USING ERRCODE = 'P0001';
                END IF;
                IF OLD.status = 'approved' THEN
                    RAISE EXCEPTION 'revision % of result % is approved and immutable: UPDATE refused', OLD.revision, OLD.result_id
                        USING ERRCODE = 'P0001';
                END IF;
                IF (to_jsonb(OLD) - review_columns) IS DISTINCT FROM (to_jsonb(NEW) - review_columns) THEN
                    RAISE EXCEPTION 'technical columns of a result revision are never overwritten (make a new revision): UPDATE refused'
                        USING ERRCODE = 'P0001';
                END IF;
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER calibration_result_revision_guard BEFORE UPDATE OR DELETE ON "calibration_result_revision"
            FOR EACH ROW EXECUTE FUNCTION calibration_result_revision_guard()
        `);
    await queryRunner.query(`
            CREATE TRIGGER calibration_result_revision_no_truncate BEFORE TRUNCATE ON "calibration_result_revision"
            FOR EACH STATEMENT EXECUTE FUNCTION calibration_result_revision_guard()
        `);
    await queryRunner.query(`
            CREATE FUNCTION calibration_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
            END
            $$
        `);
    for (const table of ['calibration_result_point', 'calibration_result_standard']) {
      await queryRunner.query(`
                CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}"
                FOR EACH ROW EXECUTE FUNCTION calibration_record_append_only()
            `);
      await queryRunner.query(`
                CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}"
                FOR EACH STATEMENT EXECUTE FUNCTION calibration_record_append_only()
            `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['calibration_result_point', 'calibration_result_standard']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION calibration_record_append_only()`);
    await queryRunner.query(`DROP TRIGGER calibration_result_revision_no_truncate ON "calibration_result_revision"`);
    await queryRunner.query(`DROP TRIGGER calibration_result_revision_guard ON "calibration_result_revision"`);
    await queryRunner.query(`DROP FUNCTION calibration_result_revision_guard()`);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point" DROP CONSTRAINT "FK_2cd5bed4e095a8150d9aeeb4ce5"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard" DROP CONSTRAINT "FK_efe8c6ec17d8a33ced1f996d14a"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard" DROP CONSTRAINT "FK_85d729bf47543ab70a59d48c860"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_standard" DROP CONSTRAINT "FK_0ab5b3f3bbeeb4c78c7043dfc82"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP CONSTRAINT "FK_30b0f5e97c591d7d8edd3fc419c"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP CONSTRAINT "FK_d077147495289895a6f546c0f36"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP CONSTRAINT "FK_b2b985464790e5801c6226a5ec6"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP CONSTRAINT "FK_1214c5d0682f93ad7d86b564b73"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result" DROP CONSTRAINT "FK_b046049d8fda40544430d951372"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result" DROP CONSTRAINT "FK_370c4c59e0dc3fad08c4b4b1f0d"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result" DROP CONSTRAINT "FK_732aaf6a264fc6fbf445b6ddbd7"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_template" DROP CONSTRAINT "FK_b650e6726d9361c4d9fff5f9d07"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_calibration_result_point"
        `);
    await queryRunner.query(`
            DROP TABLE "calibration_result_point"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_calibration_result_standard"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_calibration_result_standard_standard"
        `);
    await queryRunner.query(`
            DROP TABLE "calibration_result_standard"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_calibration_result_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_calibration_result_revision_measured"
        `);
    await queryRunner.query(`
            DROP TABLE "calibration_result_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_calibration_result_request_item"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_calibration_result_instrument"
        `);
    await queryRunner.query(`
            DROP TABLE "calibration_result"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_calibration_template_name"
        `);
    await queryRunner.query(`
            DROP TABLE "calibration_template"
        `);
  }
}
