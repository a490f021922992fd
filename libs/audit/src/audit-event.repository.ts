import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor } from '#libs/core';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditQuery } from './dto/audit.dto.js';

/** An entry's stored links and its hash recomputed by the database. */
export interface AuditChainRow {
  id: string;
  prev_hash: string;
  hash: string;
  computed: string;
}

/**
 * The query builder and raw SQL of the audit trail (`audit_event`). Writes go through
 * writeAuditEntries, in the changing use case's transaction.
 */
@Injectable()
export class AuditEventRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A page of entries (one more than the limit) in id order, optionally of one entity, record (its
   * own entries and the batch entries naming it) or actor.
   */
  list(query: AuditQuery): Promise<AuditEvent[]> {
    const qb = this.db
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .orderBy('e.id', 'ASC')
      .take(query.limit + 1);
    if (query.entity) qb.andWhere('e.entity = :entity', { entity: query.entity });
    // A record's own entries, and the batch entries that name it (audit_event_record).
    if (query.id)
      qb.andWhere(
        `(e.entity_id = :id OR e.entity_id IN (SELECT r.entity_id FROM audit_event_record r WHERE r.record_id = :id))`,
        { id: query.id },
      );
    if (query.actor) qb.andWhere('e.actor_id = :actor', { actor: query.actor });
    if (query.cursor) {
      const [last] = decodeCursor(query.cursor, ['bigint']);
      qb.andWhere('e.id > :last', { last });
    }
    return qb.getMany();
  }

  /**
   * Up to `limit` entries after `afterId` in id order, each with its hash recomputed by the very
   * function the insert trigger used (audit_event_hash).
   */
  chainPage(afterId: string, limit: number): Promise<AuditChainRow[]> {
    return this.db.query(
      `SELECT e.id::text AS id, e.prev_hash, e.hash, audit_event_hash(e) AS computed
         FROM audit_event e WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
      [afterId, limit],
    ) as Promise<AuditChainRow[]>;
  }
}
