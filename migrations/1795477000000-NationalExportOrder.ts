import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The national export (libs/certificates, GET /exports/national/certificates) pulls certificates in
 * the order they last changed — issued, or revoked — so a mirror sees a revocation as a new line: an
 * index on (coalesce(revoked_at, issued_at), id) serves that keyset.
 */
export class NationalExportOrder1795477000000 implements MigrationInterface {
  name = 'NationalExportOrder1795477000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_certificate_changed" ON "certificate" ((coalesce("revoked_at", "issued_at")), "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_certificate_changed"`);
  }
}
