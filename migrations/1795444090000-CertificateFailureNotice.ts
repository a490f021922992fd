import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of failed verification (thông báo kết quả kiểm định không đạt): a document kind of their
 * own, numbered in their own series (TBKĐ-yyyy-nnnnnn).
 */
export class CertificateFailureNotice1795444090000 implements MigrationInterface {
  name = 'CertificateFailureNotice1795444090000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificate_series" DROP CONSTRAINT "CHK_certificate_series_kind"`);
    await queryRunner.query(`
            ALTER TABLE "certificate_series" ADD CONSTRAINT "CHK_certificate_series_kind" CHECK (
                "kind" IN ('verification', 'calibration', 'test_report', 'verification_failure', 'stamp')
            )
        `);
    await queryRunner.query(`ALTER TABLE "certificate" DROP CONSTRAINT "CHK_certificate_kind"`);
    await queryRunner.query(`
            ALTER TABLE "certificate" ADD CONSTRAINT "CHK_certificate_kind" CHECK (
                "kind" IN ('verification', 'calibration', 'test_report', 'verification_failure')
            )
        `);
  }

  /** Refuses (the CHECK fails) while a notice or its series exists: notices are never deleted. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificate" DROP CONSTRAINT "CHK_certificate_kind"`);
    await queryRunner.query(`
            ALTER TABLE "certificate" ADD CONSTRAINT "CHK_certificate_kind" CHECK (
                "kind" IN ('verification', 'calibration', 'test_report')
            )
        `);
    await queryRunner.query(`ALTER TABLE "certificate_series" DROP CONSTRAINT "CHK_certificate_series_kind"`);
    await queryRunner.query(`
            ALTER TABLE "certificate_series" ADD CONSTRAINT "CHK_certificate_series_kind" CHECK (
                "kind" IN ('verification', 'calibration', 'test_report', 'stamp')
            )
        `);
  }
}
