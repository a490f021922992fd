import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, type PageQuery } from '#libs/core';
import { ApiKey } from './api-key.entity.js';

/** The query builders of the API-key aggregate (`api_key`). */
@Injectable()
export class ApiKeyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of an organization's keys (one more than the limit), newest first. */
  list(organizationId: string, query: PageQuery): Promise<ApiKey[]> {
    const qb = this.db
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .where('k.organization_id = :organizationId', { organizationId })
      .orderBy('k.created_at', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      // The cursor is the last key's id: comparing in SQL keeps created_at's microseconds, which a JS Date would lose.
      const [id] = decodeCursor(query.cursor, ['uuid']);
      qb.andWhere('(k.created_at, k.id) < (SELECT c.created_at, c.id FROM api_key c WHERE c.id = :cursorId::uuid)', {
        cursorId: id,
      });
    }
    return qb.getMany();
  }

  /** Sets last_used_at to now unless another request did so within the last minute. */
  async touchLastUsed(id: string): Promise<void> {
    await this.db
      .getRepository(ApiKey)
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id })
      .andWhere(`(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`)
      .execute();
  }
}
