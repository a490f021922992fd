import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  decodeCursor,
  rankedMatches,
  takeNextInSeries,
  vietnamYear,
  type MatchMode,
  type RankedRow,
  type SearchTerms,
  type Tx,
} from '#libs/core';
import { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { formatRequestNumber, REQUEST_SERIES_KIND } from './request-number.js';
import type { ItemStatus } from './workflow.js';

export type StatusCounts = Partial<Record<ItemStatus, number>>;

/** Columns a move may set besides the status (technician and date when scheduled, the receipt when received). */
const ITEM_FIELD_COLUMNS = {
  technicianId: ['technician_id', 'uuid'],
  scheduledDate: ['scheduled_date', 'date'],
  labelId: ['label_id', 'text'],
  conditionOnReceipt: ['condition_on_receipt', 'text'],
  receivedAt: ['received_at', 'timestamptz'],
} as const;
export type ItemField = keyof typeof ITEM_FIELD_COLUMNS;
export type ItemFields = Partial<Pick<RequestItem, ItemField>>;

export interface RequestFilter {
  limit: number;
  cursor?: string;
  /** A business's own organization. */
  scope?: string;
  organization?: string;
  status?: string;
}

export interface WorkListFilter {
  limit: number;
  cursor?: string;
  technicianId: string;
  statuses: ItemStatus[];
}

/**
 * The SQL of the service-request aggregate: `service_request`, its `request_item`s and its
 * `request_history`. Only these tables: what a view shows of an instrument or an organization comes
 * from the registry. Methods that run inside a use case's transaction take `tx` first; the others
 * read the pool, or the caller's transaction when one is given.
 */
@Injectable()
export class RequestRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Requests whose number matches, best first (core's rankedMatches). */
  search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    const select = `id, number AS label, NULL::text AS detail`;
    return rankedMatches(
      this.db.manager,
      { table: 'service_request', column: 'number', select, identifier: true },
      terms,
      limit,
      mode,
    );
  }

  private manager(tx: Tx | undefined): EntityManager {
    return tx?.manager ?? this.db.manager;
  }

  /** A page of requests (one more than the limit), newest first. */
  list(filter: RequestFilter): Promise<ServiceRequest[]> {
    const qb = this.db
      .getRepository(ServiceRequest)
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.scope) qb.andWhere('r.organization_id = :scope', { scope: filter.scope });
    if (filter.organization) qb.andWhere('r.organization_id = :organization', { organization: filter.organization });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, ['timestamptz', 'uuid']);
      qb.andWhere('(r.created_at, r.id) < (:createdAt::timestamptz, :id::uuid)', { createdAt, id });
    }
    return qb.getMany();
  }

  /** The request, within `organizationId` when given; null when there is none. */
  find(tx: Tx | undefined, id: string, organizationId?: string): Promise<ServiceRequest | null> {
    return this.manager(tx)
      .getRepository(ServiceRequest)
      .findOneBy(organizationId ? { id, organizationId } : { id });
  }

  /** Item statuses of each request: one GROUP BY for a page of requests. */
  async statusCounts(tx: Tx | undefined, requestIds: string[]): Promise<Map<string, StatusCounts>> {
    const map = new Map<string, StatusCounts>();
    if (requestIds.length === 0) return map;
    const rows = await this.manager(tx)
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .select('ri.request_id', 'requestId')
      .addSelect('ri.status', 'status')
      .addSelect('count(*)::int', 'n')
      .where('ri.request_id IN (:...ids)', { ids: requestIds })
      .groupBy('ri.request_id')
      .addGroupBy('ri.status')
      .getRawMany<{ requestId: string; status: ItemStatus; n: number }>();
    for (const r of rows) map.set(r.requestId, { ...map.get(r.requestId), [r.status]: r.n });
    return map;
  }

  /** The request's items, by ordinal; only those in `statuses` when given. */
  items(tx: Tx | undefined, requestId: string, statuses?: readonly ItemStatus[]): Promise<RequestItem[]> {
    const qb = this.manager(tx)
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .where('ri.request_id = :requestId', { requestId })
      .orderBy('ri.ordinal', 'ASC');
    if (statuses) qb.andWhere('ri.status IN (:...statuses)', { statuses });
    return qb.getMany();
  }

  /** A page of the request's items (one more than the limit), by ordinal. */
  itemPage(requestId: string, page: { limit: number; cursor?: string }): Promise<RequestItem[]> {
    const qb = this.db
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .where('ri.request_id = :requestId', { requestId })
      .orderBy('ri.ordinal', 'ASC')
      .addOrderBy('ri.id', 'ASC')
      .limit(page.limit + 1);
    if (page.cursor) {
      // The id too, as every list's cursor carries its row's id: a bare number is no cursor this API gave out.
      const [after, id] = decodeCursor(page.cursor, ['int', 'uuid']);
      qb.andWhere('(ri.ordinal, ri.id) > (:after, :id::uuid)', { after, id });
    }
    return qb.getMany();
  }

  /** The item, within `requestId` when given; null when there is none. */
  item(tx: Tx | undefined, itemId: string, requestId?: string): Promise<RequestItem | null> {
    return this.manager(tx)
      .getRepository(RequestItem)
      .findOneBy(requestId ? { id: itemId, requestId } : { id: itemId });
  }

  /** The items with their request (`item.request`), within `organizationId` when given, by id. */
  async itemsWithRequest(
    tx: Tx | undefined,
    itemIds: readonly string[],
    organizationId?: string,
  ): Promise<Map<string, RequestItem>> {
    if (itemIds.length === 0) return new Map();
    const qb = this.manager(tx)
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .innerJoinAndSelect('ri.request', 'r')
      .where('ri.id = ANY(:ids::uuid[])', { ids: [...new Set(itemIds)] });
    if (organizationId) qb.andWhere('r.organization_id = :organizationId', { organizationId });
    return new Map((await qb.getMany()).map((i) => [i.id, i]));
  }

  /** Locks the request the item belongs to, in one statement; null when there is no such item. */
  lockRequestOfItem(tx: Tx, itemId: string): Promise<ServiceRequest | null> {
    return tx.manager
      .getRepository(ServiceRequest)
      .createQueryBuilder('r')
      .where('r.id = (SELECT i.request_id FROM request_item i WHERE i.id = :itemId)', { itemId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The requests these items belong to, by item id. */
  async requestIdsOfItems(itemIds: readonly string[]): Promise<Map<string, string>> {
    if (itemIds.length === 0) return new Map();
    const rows = (await this.db.query(`SELECT id, request_id FROM request_item WHERE id = ANY($1::uuid[])`, [
      [...new Set(itemIds)],
    ])) as { id: string; request_id: string }[];
    return new Map(rows.map((r) => [r.id, r.request_id]));
  }

  /** A page of a technician's items (one more than the limit) with their requests, by scheduled date then id. */
  workList(filter: WorkListFilter): Promise<RequestItem[]> {
    const qb = this.db
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .innerJoinAndSelect('ri.request', 'r')
      .where('ri.technician_id = :technicianId', { technicianId: filter.technicianId })
      .andWhere('ri.status IN (:...statuses)', { statuses: filter.statuses })
      .orderBy('ri.scheduled_date', 'ASC')
      .addOrderBy('ri.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.cursor) {
      const [date, id] = decodeCursor(filter.cursor, ['date', 'uuid']);
      qb.andWhere('(ri.scheduled_date, ri.id) > (:date::date, :id::uuid)', { date, id });
    }
    return qb.getMany();
  }

  /** A page of the request's history (one more than the limit), oldest first. */
  history(requestId: string, page: { limit: number; cursor?: string }): Promise<RequestHistoryEntry[]> {
    const qb = this.db
      .getRepository(RequestHistoryEntry)
      .createQueryBuilder('h')
      .where('h.request_id = :id', { id: requestId })
      .orderBy('h.id', 'ASC')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [last] = decodeCursor(page.cursor, ['bigint']);
      qb.andWhere('h.id > :last', { last });
    }
    return qb.getMany();
  }

  /** The item's whole history, oldest first. */
  itemHistory(itemId: string): Promise<RequestHistoryEntry[]> {
    return this.db.getRepository(RequestHistoryEntry).find({ where: { itemId }, order: { id: 'ASC' } });
  }

  /**
   * The next request number of the year the transaction runs in (Viet Nam), gapless: the series row
   * stays locked until the creating transaction ends, so concurrent submissions queue behind it.
   */
  async takeNextNumber(tx: Tx): Promise<string> {
    const year = vietnamYear(await this.now(tx));
    const [sequence] = await takeNextInSeries(tx, 'request_series', [REQUEST_SERIES_KIND], year);
    return formatRequestNumber(year, sequence!);
  }

  /** The transaction's clock: every change of one move carries the same instant. */
  async now(tx: Tx): Promise<Date> {
    const [{ now }] = (await tx.manager.query('SELECT now() AS now')) as [{ now: Date }];
    return now;
  }

  /**
   * Moves many items to one status in one statement, each with its own reason and its own values of
   * `fields` (every move sets the same fields: the caller groups them), at the transaction's now();
   * returns that instant (undefined when no item was there).
   */
  async setItemStatuses(
    tx: Tx,
    to: ItemStatus,
    moves: readonly { id: string; reason: string | null; set?: ItemFields }[],
    fields: readonly ItemField[] = [],
  ): Promise<Date | undefined> {
    const cols = fields.map((f, i) => ({
      column: ITEM_FIELD_COLUMNS[f][0],
      type: ITEM_FIELD_COLUMNS[f][1],
      as: `f${i}`,
    }));
    const [rows] = (await tx.manager.query(
      `UPDATE request_item AS ri SET status = $1, status_reason = n.reason, status_changed_at = now(), updated_at = now()
         ${cols.map((c) => `, ${c.column} = n.${c.as}`).join('')}
         FROM unnest($2::uuid[], $3::text[]${cols.map((c, i) => `, $${4 + i}::${c.type}[]`).join('')})
           AS n(id, reason${cols.map((c) => `, ${c.as}`).join('')})
         WHERE ri.id = n.id RETURNING ri.status_changed_at`,
      [
        to,
        moves.map((m) => m.id),
        moves.map((m) => m.reason),
        ...fields.map((f) => moves.map((m) => m.set?.[f] ?? null)),
      ],
    )) as [{ status_changed_at: Date }[], number];
    return rows[0]?.status_changed_at;
  }

  /**
   * Moves one item, with the columns that come with the move, at the transaction's now(); returns
   * that instant (from RETURNING: no statement of its own).
   */
  async setItemStatus(
    tx: Tx,
    itemId: string,
    set: ItemFields & Pick<RequestItem, 'status' | 'statusReason'>,
  ): Promise<Date> {
    const written = await tx.manager
      .createQueryBuilder()
      .update(RequestItem)
      .set({ ...set, statusChangedAt: () => 'now()' })
      .where('id = :id', { id: itemId })
      .returning('status_changed_at')
      .execute();
    return (written.raw as { status_changed_at: Date }[])[0]!.status_changed_at;
  }

  /** These items of the request (those that are in it), by id. */
  async itemsByIds(
    tx: Tx | undefined,
    requestId: string,
    itemIds: readonly string[],
  ): Promise<Map<string, RequestItem>> {
    if (itemIds.length === 0) return new Map();
    const items = await this.manager(tx)
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .where('ri.request_id = :requestId', { requestId })
      .andWhere('ri.id = ANY(:ids::uuid[])', { ids: [...new Set(itemIds)] })
      .getMany();
    return new Map(items.map((i) => [i.id, i]));
  }

  /** The request's labelled items (received or later), by ordinal; only `itemIds` when given. */
  labelled(requestId: string, itemIds?: readonly string[]): Promise<RequestItem[]> {
    const qb = this.db
      .getRepository(RequestItem)
      .createQueryBuilder('ri')
      .where('ri.request_id = :requestId', { requestId })
      .andWhere('ri.label_id IS NOT NULL')
      .orderBy('ri.ordinal', 'ASC');
    if (itemIds) qb.andWhere('ri.id = ANY(:ids::uuid[])', { ids: [...new Set(itemIds)] });
    return qb.getMany();
  }

  /** Which of these labels are on an item already: label → item id. */
  async itemsLabelled(tx: Tx, labels: readonly string[]): Promise<Map<string, string>> {
    if (labels.length === 0) return new Map();
    const rows = (await tx.manager.query(`SELECT id, label_id FROM request_item WHERE label_id = ANY($1::text[])`, [
      [...new Set(labels)],
    ])) as { id: string; label_id: string }[];
    return new Map(rows.map((r) => [r.label_id, r.id]));
  }
}
