import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personnel authorisations (ISO/IEC 17025 6.2). instrument_type_id has no foreign key yet: the
 * instrument_type table does not exist on this branch; add the constraint once it does.
 */
export class CreateStaffAuthorisation1795435208076 implements MigrationInterface {
  name = 'CreateStaffAuthorisation1795435208076';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "staff_authorisation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "instrument_type_id" uuid,
                "service" text NOT NULL,
                "activity" text NOT NULL,
                "valid_from" date NOT NULL,
                "valid_until" date,
                "reference" text,
                "granted_by" uuid NOT NULL,
                "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_by" uuid,
                CONSTRAINT "CHK_staff_authorisation_validity" CHECK (
                    "valid_until" IS NULL
                    OR "valid_until" >= "valid_from"
                ),
                CONSTRAINT "CHK_staff_authorisation_activity" CHECK ("activity" IN ('perform', 'approve')),
                CONSTRAINT "CHK_staff_authorisation_service" CHECK (
                    "service" IN (
                        'verification_initial',
                        'verification_periodic',
                        'verification_after_repair',
                        'calibration',
                        'testing'
                    )
                ),
                CONSTRAINT "PK_0ed2f52d3ad6f9c6f239a5630c9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_staff_authorisation_lookup" ON "staff_authorisation" ("user_id", "service", "activity")
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation"
            ADD CONSTRAINT "FK_a4fbf65fc8902745e138266f324" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation"
            ADD CONSTRAINT "FK_e5afacb7b32114d15c1ac3d66bd" FOREIGN KEY ("granted_by") REFERENCES "staff_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation"
            ADD CONSTRAINT "FK_39efe0e680882181d345c62d02e" FOREIGN KEY ("revoked_by") REFERENCES "staff_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation" DROP CONSTRAINT "FK_39efe0e680882181d345c62d02e"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation" DROP CONSTRAINT "FK_e5afacb7b32114d15c1ac3d66bd"
        `);
    await queryRunner.query(`
            ALTER TABLE "staff_authorisation" DROP CONSTRAINT "FK_a4fbf65fc8902745e138266f324"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_staff_authorisation_lookup"
        `);
    await queryRunner.query(`
            DROP TABLE "staff_authorisation"
        `);
  }
}
