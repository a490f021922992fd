import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocation has legal effect (issue 9): the service record a revoked certificate reported keeps the
 * revocation date (history, never deleted), and the instrument carries it for its last verification
 * so that the next due date (one SQL rule, next-due.ts) can take it into account.
 */
export class VerificationRevocation1795443617000 implements MigrationInterface {
  name = 'VerificationRevocation1795443617000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instrument_service_record"
            ADD "revoked_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument"
            ADD "last_verification_revoked_on" date
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instrument" DROP COLUMN "last_verification_revoked_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "instrument_service_record" DROP COLUMN "revoked_on"
        `);
  }
}
