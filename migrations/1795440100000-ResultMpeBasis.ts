import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResultMpeBasis1795440100000 implements MigrationInterface {
  name = 'ResultMpeBasis1795440100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD "mpe_basis" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision"
            ADD "capability_divisor" numeric
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point"
            ADD "conditions" jsonb NOT NULL DEFAULT '{}'
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point"
            ADD "capability_ratio" numeric
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point" DROP COLUMN "capability_ratio"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_point" DROP COLUMN "conditions"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP COLUMN "capability_divisor"
        `);
    await queryRunner.query(`
            ALTER TABLE "calibration_result_revision" DROP COLUMN "mpe_basis"
        `);
  }
}
