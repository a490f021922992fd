import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A standard's calibration record carries the certificate's own PDF (from VMI or another
 * laboratory): its SHA-256 in the standards' content-addressed file store, size, name as uploaded
 * and when. All null until uploaded, and all set together.
 */
export class StandardCertificateFiles1795461000002 implements MigrationInterface {
  name = 'StandardCertificateFiles1795461000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "standard_calibration"
                ADD "certificate_file_sha256" text,
                ADD "certificate_file_size" integer,
                ADD "certificate_file_name" text,
                ADD "certificate_file_uploaded_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration" ADD CONSTRAINT "CHK_standard_calibration_file" CHECK (
                ("certificate_file_sha256" IS NULL AND "certificate_file_size" IS NULL AND "certificate_file_uploaded_at" IS NULL)
                OR ("certificate_file_sha256" ~ '^[0-9a-f]{64}$' AND "certificate_file_size" > 0 AND "certificate_file_uploaded_at" IS NOT NULL)
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "standard_calibration" DROP CONSTRAINT "CHK_standard_calibration_file"`);
    await queryRunner.query(`
            ALTER TABLE "standard_calibration"
                DROP COLUMN "certificate_file_uploaded_at",
                DROP COLUMN "certificate_file_name",
                DROP COLUMN "certificate_file_size",
                DROP COLUMN "certificate_file_sha256"
        `);
  }
}
