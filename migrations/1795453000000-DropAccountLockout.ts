import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account lockout (5 failures lock any account for 15 minutes, so anyone could keep staff out)
 * gives way to login throttling per address and per account at an address, kept in Redis or in
 * memory (libs/auth/src/session/login-throttle.ts): the columns that held it go.
 */
export class DropAccountLockout1795453000000 implements MigrationInterface {
  name = 'DropAccountLockout1795453000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_user" DROP COLUMN "failed_login_count", DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "staff_user"
                ADD "failed_login_count" integer NOT NULL DEFAULT '0',
                ADD "locked_until" TIMESTAMP WITH TIME ZONE
        `);
  }
}
