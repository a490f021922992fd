import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency record keeps the response it replays as `json` (the text as sent, checked for
 * syntax only), not `jsonb`: jsonb parsed the whole body into its binary form on write and printed
 * it back on replay, for a value nothing queries into. At POST /requests with 10,000 items (8.6 MB)
 * that parse was the request's longest statement (≈ 0.5–0.6 s of 1.4 s; bench/README.md,
 * requests-10k). The replay is now the body byte for byte, keys in the order they were sent.
 * Large bodies are compressed with lz4 where the server has it (PostgreSQL 14+ built with lz4, as
 * Debian's and the official images are): several times faster than the default pglz.
 */
export class IdempotencyResponseText1795494000000 implements MigrationInterface {
  name = 'IdempotencyResponseText1795494000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "idempotency_record" ALTER COLUMN "response_body" TYPE json USING "response_body"::json`,
    );
    if (await hasLz4(q))
      await q.query(`ALTER TABLE "idempotency_record" ALTER COLUMN "response_body" SET COMPRESSION lz4`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "idempotency_record" ALTER COLUMN "response_body" TYPE jsonb USING "response_body"::jsonb`,
    );
    if (await hasLz4(q))
      await q.query(`ALTER TABLE "idempotency_record" ALTER COLUMN "response_body" SET COMPRESSION default`);
  }
}

/** Whether this server was built with lz4 (the settings' allowed values list it). */
async function hasLz4(q: QueryRunner): Promise<boolean> {
  const rows = (await q.query(
    `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
  )) as unknown[];
  return rows.length > 0;
}
