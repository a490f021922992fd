import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { Tx } from '#libs/core';
import { TestProduct } from '../catalogue/catalogue.entity.js';
import { TestSample, TestSampleCustodyEvent, TestSamplePortion } from './sample.entity.js';

/** The SQL of the sample aggregate: `test_sample`, its portions and its chain of custody. */
@Injectable()
export class SampleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private manager(tx: Tx | undefined): EntityManager {
    return tx?.manager ?? this.db.manager;
  }

  /** The products named by id or by code (the catalogue's rows, read in the submitting transaction). */
  async products(tx: Tx, ids: readonly string[], codes: readonly string[]): Promise<TestProduct[]> {
    if (ids.length === 0 && codes.length === 0) return [];
    return tx.manager
      .getRepository(TestProduct)
      .findBy([{ id: In([...new Set(ids)]) }, { code: In([...new Set(codes)]) }]);
  }

  async insert(tx: Tx, rows: Partial<TestSample>[]): Promise<void> {
    await tx.manager.getRepository(TestSample).insert(rows);
  }

  /** The samples of these items with their product, by item id. */
  async samples(tx: Tx | undefined, itemIds: readonly string[]): Promise<Map<string, TestSample>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.manager(tx)
      .getRepository(TestSample)
      .find({ where: { requestItemId: In([...new Set(itemIds)]) }, relations: { product: true } });
    return new Map(rows.map((s) => [s.requestItemId, s]));
  }

  /** The sample locked for a change (its custody steps and release queue behind each other); null: none. */
  lock(tx: Tx, itemId: string): Promise<TestSample | null> {
    return tx.manager
      .getRepository(TestSample)
      .createQueryBuilder('s')
      .where('s.request_item_id = :itemId', { itemId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The sample's portions, by suffix order (A, B, … then AA). */
  portions(tx: Tx | undefined, itemId: string): Promise<TestSamplePortion[]> {
    return this.manager(tx)
      .getRepository(TestSamplePortion)
      .createQueryBuilder('p')
      .where('p.request_item_id = :itemId', { itemId })
      .orderBy('length(p.suffix)', 'ASC')
      .addOrderBy('p.suffix', 'ASC')
      .getMany();
  }

  /** The recorded custody steps, oldest first (in recording order). */
  events(tx: Tx | undefined, itemId: string): Promise<TestSampleCustodyEvent[]> {
    return this.manager(tx)
      .getRepository(TestSampleCustodyEvent)
      .find({ where: { requestItemId: itemId }, order: { id: 'ASC' } });
  }

  /** Which of these portion codes are taken already. */
  async codesTaken(tx: Tx, codes: readonly string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await tx.manager.getRepository(TestSamplePortion).findBy({ code: In([...codes]) });
    return rows.map((r) => r.code);
  }

  async insertPortions(tx: Tx, rows: Partial<TestSamplePortion>[]): Promise<TestSamplePortion[]> {
    const result = await tx.manager.getRepository(TestSamplePortion).insert(rows);
    const ids = result.identifiers.map((i) => i.id as string);
    return tx.manager.getRepository(TestSamplePortion).findBy({ id: In(ids) });
  }

  async insertEvent(tx: Tx, row: Partial<TestSampleCustodyEvent>): Promise<void> {
    // TypeORM's deep-partial insert type cannot follow a Record<string, unknown> jsonb column.
    await tx.manager
      .getRepository(TestSampleCustodyEvent)
      .insert(row as Parameters<Repository<TestSampleCustodyEvent>['insert']>[0]);
  }

  async release(tx: Tx, itemId: string, by: string): Promise<void> {
    await tx.manager
      .getRepository(TestSample)
      .createQueryBuilder()
      .update()
      .set({ resultsReleasedAt: () => 'now()', resultsReleasedBy: by })
      .where('request_item_id = :itemId', { itemId })
      .execute();
  }
}
