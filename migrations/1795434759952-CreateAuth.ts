import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff accounts, their refresh tokens, and businesses' API keys. */
export class CreateAuth1795434759952 implements MigrationInterface {
  name = 'CreateAuth1795434759952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "staff_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "username" text NOT NULL,
                "full_name" text NOT NULL,
                "email" text,
                "password_hash" text NOT NULL,
                "roles" text array NOT NULL DEFAULT '{}',
                "active" boolean NOT NULL DEFAULT true,
                "failed_login_count" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_login_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_staff_user_roles" CHECK (
                    "roles" <@ ARRAY ['admin', 'reception', 'technician', 'reviewer', 'inspector']::text []
                ),
                CONSTRAINT "PK_cec9365d9fc3a3409158b645f2e" PRIMARY KEY ("id")
            )
        `);
    // Hand-written: TypeORM cannot declare an expression index (the entity marks it synchronize: false).
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_staff_user_username_lower" ON "staff_user" (lower("username"))
        `);
    await queryRunner.query(`
            CREATE TABLE "api_key" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "name" text NOT NULL,
                "prefix" text NOT NULL,
                "secret_hash" text NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_by" uuid,
                CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_api_key_organization" ON "api_key" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_api_key_prefix" ON "api_key" ("prefix")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_refresh_token_user" ON "refresh_token" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_refresh_token_family" ON "refresh_token" ("family_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_refresh_token_hash" ON "refresh_token" ("token_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key"
            ADD CONSTRAINT "FK_f8bf75c998e043dc6ad022d28a8" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key"
            ADD CONSTRAINT "FK_799ab142170befb4f010216e2e7" FOREIGN KEY ("created_by") REFERENCES "staff_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key"
            ADD CONSTRAINT "FK_c285158260457358c24366f1272" FOREIGN KEY ("revoked_by") REFERENCES "staff_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_token"
            ADD CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key" DROP CONSTRAINT "FK_c285158260457358c24366f1272"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key" DROP CONSTRAINT "FK_799ab142170befb4f010216e2e7"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key" DROP CONSTRAINT "FK_f8bf75c998e043dc6ad022d28a8"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_refresh_token_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_token_family"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_token_user"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_token"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_api_key_prefix"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_api_key_organization"
        `);
    await queryRunner.query(`
            DROP TABLE "api_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_staff_user_username_lower"
        `);
    await queryRunner.query(`
            DROP TABLE "staff_user"
        `);
  }
}
