import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSystemPing1795434090007 implements MigrationInterface {
  name = 'CreateSystemPing1795434090007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "system_ping" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "processed_by" text,
                CONSTRAINT "PK_2d419339585f6c3629cf698eac4" PRIMARY KEY ("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "system_ping"
        `);
  }
}
