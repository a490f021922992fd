import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analyses and results of test samples (libs/testing, issue 14 part B2): the analyses chosen at
 * contract review (test_analysis: parameter, method, accreditation then, subcontracting), the
 * results of a sample across revisions (test_result → test_result_revision → test_result_row) with
 * review. A revision is never deleted, never changed once approved, and what it says was tested is
 * never rewritten; rows are append-only (triggers).
 */
export class TestAnalyses1795475000000 implements MigrationInterface {
  name = 'TestAnalyses1795475000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "test_analysis" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_item_id" uuid NOT NULL,
                "parameter_id" uuid NOT NULL,
                "method_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "accredited" boolean NOT NULL,
                "subcontracted_to" text,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a37da3d25edf878c6daab185190" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_test_analysis_parameter" ON "test_analysis" ("request_item_id", "parameter_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "test_result" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_item_id" uuid NOT NULL,
                "status" text NOT NULL,
                "current_revision" integer NOT NULL,
                "approved_revision" integer,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_test_result_status" CHECK (
                    "status" IN ('draft', 'submitted', 'approved', 'returned')
                ),
                CONSTRAINT "PK_95770fb76248f4c3def5de11a72" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_test_result_request_item" ON "test_result" ("request_item_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "test_result_revision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "result_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "status" text NOT NULL,
                "reason" text,
                "decision_rule" text NOT NULL,
                "guard_band_factor" numeric,
                "environment" jsonb,
                "deviations" text,
                "tested_from" date NOT NULL,
                "tested_to" date NOT NULL,
                "overall" text,
                "overall_reason" text,
                "performed_by" uuid NOT NULL,
                "performed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "reviewed_by" uuid,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                "review_comment" text,
                CONSTRAINT "CHK_test_result_revision_overall" CHECK (
                    "overall" IS NULL
                    OR "overall" IN ('pass', 'fail', 'conditional')
                ),
                CONSTRAINT "CHK_test_result_revision_rule" CHECK ("decision_rule" IN ('simple', 'guarded')),
                CONSTRAINT "CHK_test_result_revision_status" CHECK (
                    "status" IN ('draft', 'submitted', 'approved', 'returned')
                ),
                CONSTRAINT "PK_1f5a4e748910d0da978839f99cc" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_test_result_revision" ON "test_result_revision" ("result_id", "revision")
        `);
    await queryRunner.query(`
            CREATE TABLE "test_result_row" (
                "revision_id" uuid NOT NULL,
                "analysis_id" uuid NOT NULL,
                "replicates" text array NOT NULL DEFAULT '{}',
                "entered_unit" text,
                "entered_value" text,
                "expanded_uncertainty" numeric,
                "coverage_factor" numeric,
                "reported_kind" text NOT NULL,
                "reported_value" text,
                "display" text NOT NULL,
                "limit_id" uuid,
                "limit_display" text,
                "conformity" text NOT NULL,
                "decision" text,
                "conformity_reason" text,
                "equipment" jsonb NOT NULL DEFAULT '[]',
                "tested_on" date NOT NULL,
                "measured_in_revision" integer NOT NULL,
                CONSTRAINT "CHK_test_result_row_conformity" CHECK (
                    "conformity" IN ('pass', 'fail', 'conditional', 'not_judged')
                ),
                CONSTRAINT "CHK_test_result_row_kind" CHECK (
                    "reported_kind" IN (
                        'value',
                        'below',
                        'above',
                        'not_detected',
                        'category',
                        'text'
                    )
                ),
                CONSTRAINT "PK_8bc93f7f3e8732f90c60666b1d7" PRIMARY KEY ("revision_id", "analysis_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis"
            ADD CONSTRAINT "FK_test_analysis_request_item" FOREIGN KEY ("request_item_id") REFERENCES "request_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis"
            ADD CONSTRAINT "FK_test_analysis_parameter" FOREIGN KEY ("parameter_id") REFERENCES "test_parameter"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis"
            ADD CONSTRAINT "FK_test_analysis_method" FOREIGN KEY ("method_id") REFERENCES "test_method"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result"
            ADD CONSTRAINT "FK_test_result_request_item" FOREIGN KEY ("request_item_id") REFERENCES "request_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision"
            ADD CONSTRAINT "FK_test_result_revision_result" FOREIGN KEY ("result_id") REFERENCES "test_result"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision"
            ADD CONSTRAINT "FK_test_result_revision_performer" FOREIGN KEY ("performed_by") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision"
            ADD CONSTRAINT "FK_test_result_revision_reviewer" FOREIGN KEY ("reviewed_by") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_row"
            ADD CONSTRAINT "FK_test_result_row_revision" FOREIGN KEY ("revision_id") REFERENCES "test_result_revision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_row"
            ADD CONSTRAINT "FK_test_result_row_analysis" FOREIGN KEY ("analysis_id") REFERENCES "test_analysis"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_row"
            ADD CONSTRAINT "FK_test_result_row_limit" FOREIGN KEY ("limit_id") REFERENCES "test_spec_limit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE FUNCTION "test_result_revision_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'test_result_revision % is a technical record: never deleted', OLD.id;
              END IF;
              IF OLD.status = 'approved' THEN
                RAISE EXCEPTION 'test_result_revision % is approved: never changed', OLD.id;
              END IF;
              IF (NEW.result_id, NEW.revision, NEW.reason, NEW.decision_rule, NEW.guard_band_factor, NEW.environment,
                  NEW.deviations, NEW.tested_from, NEW.tested_to, NEW.overall, NEW.overall_reason, NEW.performed_by,
                  NEW.performed_at)
                 IS DISTINCT FROM
                 (OLD.result_id, OLD.revision, OLD.reason, OLD.decision_rule, OLD.guard_band_factor, OLD.environment,
                  OLD.deviations, OLD.tested_from, OLD.tested_to, OLD.overall, OLD.overall_reason, OLD.performed_by,
                  OLD.performed_at) THEN
                RAISE EXCEPTION 'test_result_revision %: what was tested is never rewritten (record a new revision)', OLD.id;
              END IF;
              RETURN NEW;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "test_result_revision_guard" BEFORE UPDATE OR DELETE ON "test_result_revision"
            FOR EACH ROW EXECUTE FUNCTION "test_result_revision_guard"()
        `);
    await queryRunner.query(`
            CREATE FUNCTION "test_result_row_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'test_result_row is append-only (a retest is a new revision)';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "test_result_row_append_only" BEFORE UPDATE OR DELETE ON "test_result_row"
            FOR EACH ROW EXECUTE FUNCTION "test_result_row_append_only"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "test_result_row_append_only" ON "test_result_row"`);
    await queryRunner.query(`DROP FUNCTION "test_result_row_append_only"()`);
    await queryRunner.query(`DROP TRIGGER "test_result_revision_guard" ON "test_result_revision"`);
    await queryRunner.query(`DROP FUNCTION "test_result_revision_guard"()`);
    await queryRunner.query(`
            ALTER TABLE "test_result_row" DROP CONSTRAINT "FK_test_result_row_limit"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_row" DROP CONSTRAINT "FK_test_result_row_analysis"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_row" DROP CONSTRAINT "FK_test_result_row_revision"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision" DROP CONSTRAINT "FK_test_result_revision_reviewer"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision" DROP CONSTRAINT "FK_test_result_revision_performer"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result_revision" DROP CONSTRAINT "FK_test_result_revision_result"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_result" DROP CONSTRAINT "FK_test_result_request_item"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis" DROP CONSTRAINT "FK_test_analysis_method"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis" DROP CONSTRAINT "FK_test_analysis_parameter"
        `);
    await queryRunner.query(`
            ALTER TABLE "test_analysis" DROP CONSTRAINT "FK_test_analysis_request_item"
        `);
    await queryRunner.query(`
            DROP TABLE "test_result_row"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_test_result_revision"
        `);
    await queryRunner.query(`
            DROP TABLE "test_result_revision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_test_result_request_item"
        `);
    await queryRunner.query(`
            DROP TABLE "test_result"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_test_analysis_parameter"
        `);
    await queryRunner.query(`
            DROP TABLE "test_analysis"
        `);
  }
}
