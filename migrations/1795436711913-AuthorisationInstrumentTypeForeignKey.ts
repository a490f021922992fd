import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthorisationInstrumentTypeForeignKey1795436711913 implements MigrationInterface {
  name = 'AuthorisationInstrumentTypeForeignKey1795436711913';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation"
            ADD CONSTRAINT "FK_staff_authorisation_instrument_type" FOREIGN KEY ("instrument_type_id") REFERENCES "instrument_type"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation" DROP CONSTRAINT "FK_staff_authorisation_instrument_type"
        `);
  }
}
