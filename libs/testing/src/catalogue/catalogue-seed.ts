import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource, EntityManager } from 'typeorm';
import {
  TestMethod,
  TestParameter,
  TestProduct,
  TestProductRegulation,
  TestRegulation,
  TestSpecLimit,
} from './catalogue.entity.js';
import {
  readTestingSeed,
  type SeedLimit,
  type SeedParameter,
  type SeedProduct,
  type TestingSeed,
} from './seed-reader.js';

export interface TestingSeedReport {
  regulationsInserted: number;
  productsInserted: number;
  parametersInserted: number;
  methodsInserted: number;
  limitsInserted: number;
  limitsUpdated: number;
  /** Seeded limits an admin confirmed since: the seed leaves them as they are. */
  limitsKeptConfirmed: number;
}

/** libs/testing/data, found from here both in the sources (jest) and in dist/ (node). */
export function testingDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'libs', 'testing', 'data');
    if (existsSync(join(candidate, 'test-products.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('libs/testing/data/test-products.json was not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function loadShippedTestingCatalogue(): TestingSeed {
  const dir = testingDataDir();
  return readTestingSeed(
    readFileSync(join(dir, 'test-products.json'), 'utf8'),
    readFileSync(join(dir, 'test-products.overlay.json'), 'utf8'),
  );
}

function emptyReport(): TestingSeedReport {
  return {
    regulationsInserted: 0,
    productsInserted: 0,
    parametersInserted: 0,
    methodsInserted: 0,
    limitsInserted: 0,
    limitsUpdated: 0,
    limitsKeptConfirmed: 0,
  };
}

const sameLimit = (a: TestSpecLimit, b: Omit<SeedLimit, 'regulationCode'> & { regulationId: string }): boolean =>
  JSON.stringify([a.regulationId, a.level, a.grade, a.season, a.seasonFrom, a.seasonTo, a.kind]) ===
    JSON.stringify([b.regulationId, b.level, b.grade, b.season, b.seasonFrom, b.seasonTo, b.kind]) &&
  Number(a.min) === Number(b.min) &&
  Number(a.max) === Number(b.max) &&
  JSON.stringify([a.allowedValues, a.limitText, a.sourceDocument, a.sourceNote, a.confidence]) ===
    JSON.stringify([b.allowedValues, b.limitText, b.sourceDocument, b.sourceNote, b.confidence]);

/** Limits by (parameter, seed key): inserted, or updated while unconfirmed; a confirmed one is never changed. */
async function seedLimits(
  m: EntityManager,
  parameter: TestParameter,
  limits: SeedLimit[],
  regulationIds: Map<string, string>,
  report: TestingSeedReport,
): Promise<void> {
  const repo = m.getRepository(TestSpecLimit);
  const existing = new Map(
    (await repo.findBy({ parameterId: parameter.id })).filter((l) => l.seedKey).map((l) => [l.seedKey!, l]),
  );
  for (const { regulationCode, ...l } of limits) {
    const wanted = { ...l, regulationId: regulationIds.get(regulationCode)! };
    const found = existing.get(l.seedKey);
    if (!found) {
      await repo.insert({
        ...wanted,
        parameterId: parameter.id,
        confirmedAt: null,
        confirmedBy: null,
        confirmedAgainst: null,
      });
      report.limitsInserted++;
    } else if (found.confirmedAt) report.limitsKeptConfirmed++;
    else if (!sameLimit(found, wanted)) {
      await repo.update({ id: found.id }, wanted);
      report.limitsUpdated++;
    }
  }
}

/** Methods by (parameter, code): names follow the seed; LOD, LOQ and accreditation are the centre's and never touched. */
async function seedMethods(m: EntityManager, parameter: TestParameter, s: SeedParameter, report: TestingSeedReport) {
  const repo = m.getRepository(TestMethod);
  const existing = new Map((await repo.findBy({ parameterId: parameter.id })).map((x) => [x.code, x]));
  for (const method of s.methods) {
    const found = existing.get(method.code);
    if (found) await repo.update({ id: found.id }, method);
    else {
      await repo.insert({ ...method, parameterId: parameter.id, lod: null, loq: null, accredited: false });
      report.methodsInserted++;
    }
  }
}

async function seedProduct(
  m: EntityManager,
  s: SeedProduct,
  regulationIds: Map<string, string>,
  report: TestingSeedReport,
): Promise<void> {
  const { regulations, parameters, ...fields } = s;
  const products = m.getRepository(TestProduct);
  let product = await products.findOneBy({ code: s.code });
  if (product) await products.update({ id: product.id }, fields);
  else {
    product = await products.save(products.create(fields));
    report.productsInserted++;
  }
  for (const r of regulations)
    await m
      .getRepository(TestProductRegulation)
      .upsert({ productId: product.id, regulationId: regulationIds.get(r.code)!, clause: r.clause }, [
        'productId',
        'regulationId',
      ]);
  const repo = m.getRepository(TestParameter);
  for (const p of parameters) {
    const { methods, limits, ...pf } = p;
    void methods;
    void limits;
    let row = await repo.findOneBy({ productId: product.id, code: p.code });
    if (row) await repo.update({ id: row.id }, pf);
    else {
      row = await repo.save(repo.create({ ...pf, productId: product.id }));
      report.parametersInserted++;
    }
    await seedMethods(m, row, p, report);
    await seedLimits(m, row, p.limits, regulationIds, report);
  }
}

/** Idempotent upsert of the testing catalogue: regulations by code, products by code, parameters by (product, code). */
export async function seedTestingCatalogue(m: EntityManager, seed: TestingSeed): Promise<TestingSeedReport> {
  const report = emptyReport();
  const regulations = m.getRepository(TestRegulation);
  const regulationIds = new Map<string, string>();
  for (const r of seed.regulations) {
    const found = await regulations.findOneBy({ code: r.code });
    if (found) await regulations.update({ id: found.id }, r);
    else report.regulationsInserted++;
    regulationIds.set(r.code, found?.id ?? (await regulations.save(regulations.create(r))).id);
  }
  for (const p of seed.products) await seedProduct(m, p, regulationIds, report);
  return report;
}

/** Arbitrary but fixed: two processes starting at once must not seed twice. */
const TESTING_SEED_LOCK_KEY = 720_417_014;

/** Runs the seed in one transaction under an advisory lock; with onlyIfEmpty, only on a catalogue without products. */
export async function runTestingSeed(
  dataSource: DataSource,
  options: { onlyIfEmpty: boolean; seed?: TestingSeed },
): Promise<TestingSeedReport | null> {
  return dataSource.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [TESTING_SEED_LOCK_KEY]);
    if (options.onlyIfEmpty) {
      const rows: unknown[] = await m.query('SELECT 1 FROM test_product LIMIT 1');
      if (rows.length > 0) return null;
    }
    return seedTestingCatalogue(m, options.seed ?? loadShippedTestingCatalogue());
  });
}
