import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SecretBox } from '#libs/core';
import type { WebhookEndpoint } from './webhook.entities.js';
import { WebhookRepository, type EndpointSecretRow } from './webhook.repository.js';

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
    private readonly webhooks: WebhookRepository,
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
      const rows = await this.webhooks.secretsToSeal(after, this.box.currentPrefix, BATCH);
      for (const row of rows) {
        const done = await this.sealOne(row);
        if (done) sealed += 1;
        else if (done === undefined) unreadable += 1;
      }
      if (rows.length < BATCH) return { sealed, unreadable };
      after = (rows[rows.length - 1] as EndpointSecretRow).id;
    }
  }

  /** True when sealed, false when another process changed the row first, undefined when it cannot be opened. */
  private async sealOne(row: EndpointSecretRow): Promise<boolean | undefined> {
    let plain: string;
    try {
      plain = endpointSecret(this.box, { id: row.id, secret: row.secret, secretSealed: row.secret_sealed });
    } catch {
      return undefined;
    }
    return this.webhooks.replaceSecret(row, this.box.seal(plain, secretContext(row.id)));
  }
}
