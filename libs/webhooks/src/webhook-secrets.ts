import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SecretBox } from '#libs/core';
import type { WebhookEndpoint } from './webhook.entities.js';

/** The additional data a secret is sealed with: a sealed value copied to another endpoint does not open. */
export function secretContext(endpointId: string): string {
  return `webhook_endpoint.secret:${endpointId}`;
}

/** The signing key of an endpoint: opened from `secret_sealed`, or a plaintext row not yet sealed. */
export function endpointSecret(box: SecretBox, e: Pick<WebhookEndpoint, 'id' | 'secret' | 'secretSealed'>): string {
  if (e.secretSealed) return box.open(e.secretSealed, secretContext(e.id));
  if (e.secret) return e.secret;
  throw new Error(`webhook endpoint ${e.id} has no secret`);
}

interface SecretRow {
  id: string;
  secret: string | null;
  secret_sealed: string | null;
}

const BATCH = 500;

/**
 * At start-up, seals every plaintext secret left from before secrets were sealed, and seals again
 * every secret sealed under a previous key (after SECRETS_KEY was rotated). Idempotent and safe with
 * several API processes starting at once: each row is rewritten only if it still holds what was read.
 */
@Injectable()
export class WebhookSecretSealer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { sealed, unreadable } = await this.sealAll();
    if (sealed > 0) this.logger.log(`sealed ${sealed} webhook secret(s) under key ${this.box.currentKeyId}`);
    if (unreadable > 0)
      this.logger.error(`${unreadable} webhook secret(s) are sealed under a key that is not in SECRETS_KEY(_PREVIOUS)`);
  }

  async sealAll(): Promise<{ sealed: number; unreadable: number }> {
    let sealed = 0;
    let unreadable = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, secret, secret_sealed FROM webhook_endpoint
          WHERE id > $1 AND (secret IS NOT NULL OR secret_sealed NOT LIKE $2 || '%')
          ORDER BY id LIMIT ${BATCH}`,
        [after, this.box.currentPrefix],
      )) as SecretRow[];
      for (const row of rows) {
        const done = await this.sealOne(row);
        if (done) sealed += 1;
        else if (done === undefined) unreadable += 1;
      }
      if (rows.length < BATCH) return { sealed, unreadable };
      after = (rows[rows.length - 1] as SecretRow).id;
    }
  }

  /** True when sealed, false when another process changed the row first, undefined when it cannot be opened. */
  private async sealOne(row: SecretRow): Promise<boolean | undefined> {
    let plain: string;
    try {
      plain = endpointSecret(this.box, { id: row.id, secret: row.secret, secretSealed: row.secret_sealed });
    } catch {
      return undefined;
    }
    const [, count] = (await this.db.query(
      `UPDATE webhook_endpoint SET secret_sealed = $2, secret = NULL
        WHERE id = $1 AND secret IS NOT DISTINCT FROM $3 AND secret_sealed IS NOT DISTINCT FROM $4`,
      [row.id, this.box.seal(plain, secretContext(row.id)), row.secret, row.secret_sealed],
    )) as [unknown, number];
    return count === 1;
  }
}
