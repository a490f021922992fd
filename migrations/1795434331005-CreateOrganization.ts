import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganization1795434331005 implements MigrationInterface {
  name = 'CreateOrganization1795434331005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "organization" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "tax_code" text NOT NULL,
                "street_address" text NOT NULL,
                "province" text NOT NULL,
                "district" text,
                "ward" text,
                "contacts" jsonb NOT NULL DEFAULT '[]',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_472c1f99a32def1b0abb219cd67" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_organization_tax_code" ON "organization" ("tax_code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_organization_district" ON "organization" ("district")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_organization_district"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_organization_tax_code"
        `);
    await queryRunner.query(`
            DROP TABLE "organization"
        `);
  }
}
