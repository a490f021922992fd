import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, type PageQuery, type Tx } from '#libs/core';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entities.js';

/** An endpoint's stored signing secret: plaintext (not sealed yet) or sealed. */
export interface EndpointSecretRow {
  id: string;
  secret: string | null;
  secret_sealed: string | null;
}

/**
 * The query builders and raw SQL of the webhook aggregates (`webhook_endpoint` with its
 * `webhook_delivery` log). Methods inside a use case's transaction take `tx` first.
 */
@Injectable()
export class WebhookRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The organization's active endpoints, oldest first. */
  activeEndpoints(tx: Tx, organizationId: string): Promise<WebhookEndpoint[]> {
    return tx.manager
      .getRepository(WebhookEndpoint)
      .createQueryBuilder('e')
      .where('e.organization_id = :organizationId AND e.active', { organizationId })
      .orderBy('e.created_at')
      .addOrderBy('e.id')
      .getMany();
  }

  /** A page of an endpoint's deliveries (one more than the limit), newest first. */
  deliveries(endpointId: string, query: PageQuery): Promise<WebhookDelivery[]> {
    const qb = this.db
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .take(query.limit + 1);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['timestamptz', 'uuid']);
      qb.andWhere('(d.created_at, d.id) < (:createdAt, :id)', { createdAt, id });
    }
    return qb.getMany();
  }

  /** Which of these deliveries are still `pending`. */
  async pendingDeliveries(ids: string[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      `SELECT id FROM webhook_delivery WHERE id = ANY($1::uuid[]) AND state = 'pending'`,
      [ids],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Up to `limit` endpoints after `afterId` whose secret is plaintext or not sealed under `currentPrefix`. */
  secretsToSeal(afterId: string, currentPrefix: string, limit: number): Promise<EndpointSecretRow[]> {
    return this.db.query(
      `SELECT id, secret, secret_sealed FROM webhook_endpoint
        WHERE id > $1 AND (secret IS NOT NULL OR secret_sealed NOT LIKE $2 || '%')
        ORDER BY id LIMIT $3`,
      [afterId, currentPrefix, limit],
    ) as Promise<EndpointSecretRow[]>;
  }

  /** Stores the sealed secret only if the row still holds what was read (`row`); whether it did. */
  async replaceSecret(row: EndpointSecretRow, sealed: string): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE webhook_endpoint SET secret_sealed = $2, secret = NULL
        WHERE id = $1 AND secret IS NOT DISTINCT FROM $3 AND secret_sealed IS NOT DISTINCT FROM $4`,
      [row.id, sealed, row.secret, row.secret_sealed],
    )) as [unknown, number];
    return count === 1;
  }
}
