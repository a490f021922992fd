import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The instants that lists page by are kept to the millisecond, the precision a keyset cursor carries
 * (`toISOString()`): with PostgreSQL's microseconds, rows stamped within one millisecond fell between
 * two pages (test/cursor-precision.e2e-spec.ts). Service requests have been so since their table was
 * created. Existing values are raised to the next millisecond, never lowered, so a mirror holding a
 * national-export cursor (microseconds of the change) may see a certificate again but never misses one.
 */
const COLUMNS: [table: string, column: string][] = [
  ['certificate', 'issued_at'],
  ['calibration_result', 'created_at'],
  ['webhook_delivery', 'created_at'],
  ['notice', 'created_at'],
];

export class CursorMillisecondPrecision1795487000000 implements MigrationInterface {
  name = 'CursorMillisecondPrecision1795487000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      const ms = `date_trunc('milliseconds', "${column}")`;
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE timestamptz(3)
           USING CASE WHEN "${column}" > ${ms} THEN ${ms} + interval '1 millisecond' ELSE "${column}" END`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE timestamptz`);
    }
  }
}
