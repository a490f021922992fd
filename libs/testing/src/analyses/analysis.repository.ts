import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Tx } from '#libs/core';
import { TestAnalysis, TestResult, TestResultRevision, TestResultRow } from './analysis.entity.js';

/** The analyses of a sample with their parameter and method. */
export type LoadedAnalysis = TestAnalysis & Required<Pick<TestAnalysis, 'parameter' | 'method'>>;

/** A revision with the names of the analyst and the reviewer. */
export type NamedRevision = TestResultRevision & {
  performer: { fullName: string };
  reviewer: { fullName: string } | null;
};

/** The queries of the analyses aggregate: test_analysis, test_result and its revisions and rows. */
@Injectable()
export class AnalysisRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Reads outside a use case's transaction. */
  get manager(): EntityManager {
    return this.db.manager;
  }

  async analysesOf(m: EntityManager, requestItemId: string): Promise<LoadedAnalysis[]> {
    return (await m.getRepository(TestAnalysis).find({
      where: { requestItemId },
      relations: { parameter: true, method: true },
      order: { position: 'ASC' },
    })) as LoadedAnalysis[];
  }

  async replaceAnalyses(tx: Tx, requestItemId: string, rows: Omit<TestAnalysis, 'id' | 'createdAt'>[]): Promise<void> {
    await tx.manager.getRepository(TestAnalysis).delete({ requestItemId });
    if (rows.length) await tx.manager.getRepository(TestAnalysis).insert(rows);
  }

  resultOf(m: EntityManager, requestItemId: string): Promise<TestResult | null> {
    return m.getRepository(TestResult).findOneBy({ requestItemId });
  }

  lockResult(tx: Tx, requestItemId: string): Promise<TestResult | null> {
    return tx.manager
      .getRepository(TestResult)
      .findOne({ where: { requestItemId }, lock: { mode: 'pessimistic_write' } });
  }

  async createResult(tx: Tx, requestItemId: string): Promise<TestResult> {
    const repo = tx.manager.getRepository(TestResult);
    return repo.save(repo.create({ requestItemId, status: 'draft', currentRevision: 0, approvedRevision: null }));
  }

  async setResult(
    tx: Tx,
    id: string,
    fields: Partial<Pick<TestResult, 'status' | 'currentRevision' | 'approvedRevision'>>,
  ) {
    await tx.manager.getRepository(TestResult).update({ id }, fields);
  }

  async insertRevision(tx: Tx, revision: Partial<TestResultRevision>, rows: Omit<TestResultRow, 'revisionId'>[]) {
    const saved = await tx.manager
      .getRepository(TestResultRevision)
      .save(tx.manager.create(TestResultRevision, revision));
    await tx.manager.getRepository(TestResultRow).insert(rows.map((r) => ({ ...r, revisionId: saved.id })));
    return saved;
  }

  async setRevision(
    tx: Tx,
    id: string,
    fields: Partial<Pick<TestResultRevision, 'status' | 'submittedAt' | 'reviewedAt' | 'reviewedBy' | 'reviewComment'>>,
  ) {
    await tx.manager.getRepository(TestResultRevision).update({ id }, fields);
  }

  async revision(m: EntityManager, resultId: string, revision: number): Promise<NamedRevision | null> {
    const found = await m.getRepository(TestResultRevision).findOneBy({ resultId, revision });
    return found ? (await this.named(m, [found]))[0]! : null;
  }

  async revisions(m: EntityManager, resultId: string): Promise<NamedRevision[]> {
    const found = await m.getRepository(TestResultRevision).find({ where: { resultId }, order: { revision: 'ASC' } });
    return this.named(m, found);
  }

  async revisionById(m: EntityManager, id: string): Promise<(NamedRevision & { result: TestResult }) | null> {
    const found = await m.getRepository(TestResultRevision).findOne({ where: { id }, relations: { result: true } });
    return found ? ((await this.named(m, [found]))[0] as NamedRevision & { result: TestResult }) : null;
  }

  /**
   * The analysts' and reviewers' names, from auth's published view `auth_staff_name_v` (staff_user is
   * auth's table: no join on it from here).
   */
  private async named(m: EntityManager, revisions: TestResultRevision[]): Promise<NamedRevision[]> {
    const ids = [
      ...new Set(revisions.flatMap((r) => (r.reviewedBy ? [r.performedBy, r.reviewedBy] : [r.performedBy]))),
    ];
    if (ids.length === 0) return [];
    const rows = (await m.query(`SELECT staff_id, full_name FROM auth_staff_name_v WHERE staff_id = ANY($1::uuid[])`, [
      ids,
    ])) as { staff_id: string; full_name: string }[];
    const names = new Map(rows.map((r) => [r.staff_id, r.full_name]));
    const person = (id: string) => ({ fullName: names.get(id) ?? id });
    return revisions.map((r) =>
      Object.assign(r, { performer: person(r.performedBy), reviewer: r.reviewedBy ? person(r.reviewedBy) : null }),
    ) as unknown as NamedRevision[];
  }

  rowsOf(m: EntityManager, revisionIds: string[]): Promise<TestResultRow[]> {
    if (revisionIds.length === 0) return Promise.resolve([]);
    return m.getRepository(TestResultRow).find({ where: { revisionId: In(revisionIds) } });
  }

  /** The revisions of a result that `userId` recorded (self-review). */
  async revisionsRecordedBy(tx: Tx, resultId: string, userId: string): Promise<number[]> {
    const rows = await tx.manager
      .getRepository(TestResultRevision)
      .find({ where: { resultId, performedBy: userId }, select: { revision: true }, order: { revision: 'ASC' } });
    return rows.map((r) => r.revision);
  }
}
