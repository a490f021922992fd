import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook signing secrets sealed at rest (AES-256-GCM under SECRETS_KEY), and delivery logs that keep
 * a fixed category instead of remote error text.
 *
 * SQL cannot read SECRETS_KEY, so this migration does not encrypt: it adds `secret_sealed` and lets
 * `secret` (the plaintext) be null. The API seals every plaintext row at start-up, idempotently
 * (WebhookSecretSealer), and until then a plaintext row still signs. A later migration can drop
 * `secret` once every installation has started once.
 *
 * Remote error text already logged (`connect ECONNREFUSED 10.0.0.1:5432`, …) is what made the
 * delivery log a port scanner: it is replaced with the categories the worker writes from now on.
 */
export class WebhookSealedSecretsAndErrorCategories1795450000000 implements MigrationInterface {
  name = 'WebhookSealedSecretsAndErrorCategories1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ADD "secret_sealed" text`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ALTER COLUMN "secret" DROP NOT NULL`);
    await queryRunner.query(`
            ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "CHK_webhook_endpoint_secret"
            CHECK ("secret" IS NOT NULL OR "secret_sealed" IS NOT NULL)
        `);
    for (const [table, column] of [
      ['webhook_delivery', 'last_error'],
      ['webhook_attempt', 'error'],
    ] as const) {
      await queryRunner.query(`
            UPDATE "${table}" SET "${column}" = CASE
                WHEN "${column}" ~ '^HTTP [0-9]{3}$' THEN 'http_' || substr("${column}", 6)
                WHEN "${column}" = 'endpoint deactivated' THEN 'endpoint_inactive'
                WHEN "${column}" = 'endpoint deleted' THEN 'endpoint_deleted'
                ELSE 'network_error'
            END
            WHERE "${column}" IS NOT NULL
        `);
    }
  }

  /** Refuses (SET NOT NULL fails) while a secret exists only sealed; the replaced error text is gone for good. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP CONSTRAINT "CHK_webhook_endpoint_secret"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ALTER COLUMN "secret" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "secret_sealed"`);
  }
}
