import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { decodeCursor } from '#libs/core';
import {
  TestMethod,
  TestParameter,
  TestProduct,
  TestProductRegulation,
  TestRegulation,
  TestSpecLimit,
} from './catalogue.entity.js';

/** A product's catalogue: its regulations (with the clause for it), parameters, methods and limits. */
export interface ProductDetails {
  regulations: (TestRegulation & { clause: string | null })[];
  parameters: TestParameter[];
  methods: Map<string, TestMethod[]>;
  limits: Map<string, TestSpecLimit[]>;
}

const groupBy = <T>(rows: T[], key: (r: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
};

/** The queries of the testing catalogue: products and everything under them. */
@Injectable()
export class CatalogueRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of products (one more than the limit), by code then id. */
  page(limit: number, cursor?: string): Promise<TestProduct[]> {
    const qb = this.db
      .getRepository(TestProduct)
      .createQueryBuilder('p')
      .orderBy('p.code', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(limit + 1);
    if (cursor) {
      const [code, id] = decodeCursor(cursor, ['text', 'uuid']);
      qb.andWhere('(p.code, p.id) > (:code, :id)', { code, id });
    }
    return qb.getMany();
  }

  product(id: string): Promise<TestProduct | null> {
    return this.db.getRepository(TestProduct).findOneBy({ id });
  }

  /** Details of several products in four queries, keyed by product id. */
  async details(
    productIds: readonly string[],
    m: EntityManager = this.db.manager,
  ): Promise<Map<string, ProductDetails>> {
    const ids = [...new Set(productIds)];
    const out = new Map<string, ProductDetails>();
    if (ids.length === 0) return out;
    const links = await m.getRepository(TestProductRegulation).find({
      where: { productId: In(ids) },
      relations: { regulation: true },
    });
    const parameters = await m
      .getRepository(TestParameter)
      .find({ where: { productId: In(ids) }, order: { position: 'ASC', id: 'ASC' } });
    const parameterIds = parameters.map((p) => p.id);
    const [methods, limits] = parameterIds.length
      ? await Promise.all([
          m.getRepository(TestMethod).find({ where: { parameterId: In(parameterIds) }, order: { position: 'ASC' } }),
          m.getRepository(TestSpecLimit).find({
            where: { parameterId: In(parameterIds) },
            relations: { regulation: true },
          }),
        ])
      : [[], []];
    const byProduct = groupBy(parameters, (p) => p.productId);
    const methodsOf = groupBy(methods, (x) => x.parameterId);
    // One seed transaction gives its rows one created_at: order by what the limit is for instead.
    const order = (l: TestSpecLimit): string =>
      [l.regulation!.code, l.level ?? '', l.grade ?? '', l.season ?? '', l.createdAt.toISOString(), l.id].join(
        '\u0000',
      );
    const limitsOf = groupBy(
      [...limits].sort((a, b) => order(a).localeCompare(order(b))),
      (x) => x.parameterId,
    );
    for (const id of ids) {
      const mine = byProduct.get(id) ?? [];
      out.set(id, {
        regulations: links
          .filter((l) => l.productId === id)
          .map((l) => ({ ...l.regulation!, clause: l.clause }))
          .sort((a, b) => a.code.localeCompare(b.code)),
        parameters: mine,
        methods: new Map(mine.map((p) => [p.id, methodsOf.get(p.id) ?? []])),
        limits: new Map(mine.map((p) => [p.id, limitsOf.get(p.id) ?? []])),
      });
    }
    return out;
  }

  lockLimit(m: EntityManager, id: string): Promise<TestSpecLimit | null> {
    return m.getRepository(TestSpecLimit).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async confirmLimit(m: EntityManager, id: string, by: string, against: string): Promise<void> {
    await m
      .getRepository(TestSpecLimit)
      .update({ id }, { confirmedAt: new Date(), confirmedBy: by, confirmedAgainst: against });
  }

  async limitWithRegulation(id: string): Promise<TestSpecLimit | null> {
    return this.db.getRepository(TestSpecLimit).findOne({ where: { id }, relations: { regulation: true } });
  }

  lockMethod(m: EntityManager, id: string): Promise<TestMethod | null> {
    return m.getRepository(TestMethod).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateMethod(
    m: EntityManager,
    id: string,
    fields: Partial<
      Pick<
        TestMethod,
        'lod' | 'loq' | 'accredited' | 'environmentLimits' | 'environmentSource' | 'environmentConfidence'
      >
    >,
  ) {
    await m.getRepository(TestMethod).update({ id }, fields);
    return (await m.getRepository(TestMethod).findOneBy({ id }))!;
  }
}
