import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, testing: a method's environmental limits (admin-maintained, with their source and
 * confidence; the shared data has none), against which a result revision's environment is checked,
 * and how each row's expanded uncertainty was evaluated through libs/uncertainty.
 */
export class TestingEnvironmentAndUncertainty1795483100000 implements MigrationInterface {
  name = 'TestingEnvironmentAndUncertainty1795483100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "test_method"
                ADD "environment_limits" jsonb NOT NULL DEFAULT '{}',
                ADD "environment_source" text,
                ADD "environment_confidence" text,
                ADD CONSTRAINT "CHK_test_method_environment" CHECK (("environment_limits" = '{}'::jsonb) = ("environment_source" IS NULL) AND ("environment_source" IS NULL) = ("environment_confidence" IS NULL) AND ("environment_confidence" IS NULL OR "environment_confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE')))
        `);
    await queryRunner.query(`ALTER TABLE "test_result_row" ADD "uncertainty" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "test_result_row" DROP COLUMN "uncertainty"`);
    await queryRunner.query(`
            ALTER TABLE "test_method"
                DROP CONSTRAINT "CHK_test_method_environment",
                DROP COLUMN "environment_confidence",
                DROP COLUMN "environment_source",
                DROP COLUMN "environment_limits"
        `);
  }
}
