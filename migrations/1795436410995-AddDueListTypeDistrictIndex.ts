import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDueListTypeDistrictIndex1795436410995 implements MigrationInterface {
  name = 'AddDueListTypeDistrictIndex1795436410995';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "IDX_instrument_due_type_district" ON "instrument" (
                "instrument_type_id",
                "district",
                "next_due_date",
                "id"
            )
            WHERE "status" = 'in_service'
                AND "next_due_date" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instrument_due_type_district"
        `);
  }
}
