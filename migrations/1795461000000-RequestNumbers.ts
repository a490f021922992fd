import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests get human numbers, YC-2026-000123: one gapless series per year in Viet Nam, counted in
 * `request_series` as certificates are in `certificate_series`. Existing requests are numbered in
 * the order they were created, and each year's counter starts after the last of them.
 */
export class RequestNumbers1795461000000 implements MigrationInterface {
  name = 'RequestNumbers1795461000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "request_series" (
                "kind" text NOT NULL,
                "year" integer NOT NULL,
                "last" integer NOT NULL,
                CONSTRAINT "CHK_request_series_last" CHECK ("last" >= 0),
                CONSTRAINT "PK_request_series" PRIMARY KEY ("kind", "year")
            )
        `);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "number" text`);
    await queryRunner.query(`
            WITH numbered AS (
                SELECT id, y, row_number() OVER (PARTITION BY y ORDER BY created_at, id) AS seq
                FROM (SELECT id, created_at,
                             extract(year FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS y
                      FROM service_request) r
            )
            UPDATE service_request s SET number = 'YC-' || n.y || '-' || lpad(n.seq::text, 6, '0')
            FROM numbered n WHERE s.id = n.id
        `);
    await queryRunner.query(`
            INSERT INTO request_series (kind, year, last)
            SELECT 'request', split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int)
            FROM service_request GROUP BY 2
        `);
    await queryRunner.query(`ALTER TABLE "service_request" ALTER COLUMN "number" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_service_request_number" ON "service_request" ("number")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_service_request_number"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "number"`);
    await queryRunner.query(`DROP TABLE "request_series"`);
  }
}
