import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's role (libs/core APP_ROLE). */
const APP_ROLE = 'tdc_app';

/**
 * Transfers of an instrument to another owner (a sale): append-only (the application may insert and
 * read, not rewrite), so the ownership history stays as it happened.
 */
export class InstrumentTransfers1795461000003 implements MigrationInterface {
  name = 'InstrumentTransfers1795461000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "instrument_transfer" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instrument_id" uuid NOT NULL,
                "from_owner_id" uuid NOT NULL,
                "to_owner_id" uuid NOT NULL,
                "transferred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "reason" text NOT NULL,
                "recorded_by" text,
                CONSTRAINT "CHK_instrument_transfer_owners" CHECK ("from_owner_id" <> "to_owner_id"),
                CONSTRAINT "PK_instrument_transfer" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "IDX_instrument_transfer_instrument" ON "instrument_transfer" ("instrument_id", "transferred_at")`,
    );
    // TypeORM's own names for these keys (DefaultNamingStrategy), so that the drift check agrees.
    for (const [column, target, fk] of [
      ['instrument_id', 'instrument', 'FK_a51dfd32bafb99451d91ac23514'],
      ['from_owner_id', 'organization', 'FK_1a73940256a77da68c6550b0ecf'],
      ['to_owner_id', 'organization', 'FK_fc23503d05053e384904caaae78'],
    ] as const) {
      await queryRunner.query(
        `ALTER TABLE "instrument_transfer" ADD CONSTRAINT "${fk}" FOREIGN KEY ("${column}") REFERENCES "${target}"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    }
    await queryRunner.query(`
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
                    REVOKE UPDATE, DELETE, TRUNCATE ON "instrument_transfer" FROM ${APP_ROLE};
                END IF;
            END $$
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "instrument_transfer"`);
  }
}
