import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { StaffUser } from '#libs/auth';
import { decodeCursor, NotFoundError, type Tx } from '#libs/core';
import type { Instrument } from '#libs/registry';
import {
  CalibrationResult,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
} from './result.entity.js';

/** A revision with everything it holds. */
export interface LoadedRevision {
  revision: CalibrationResultRevision;
  points: CalibrationResultPoint[];
  standards: CalibrationResultStandard[];
  performer: StaffUser | null;
  reviewer: StaffUser | null;
}

/**
 * A revision as a certificate reads it: with its result (request item and request joined) and the
 * result's instrument (type and owner joined); null instrument when it is gone.
 */
export interface RevisionForCertificate {
  loaded: LoadedRevision;
  result: CalibrationResult;
  instrument: Instrument | null;
}

export interface ResultFilter {
  limit: number;
  cursor?: string;
  instrumentId?: string;
  requestItemId?: string;
  status?: string;
}

/** A result that used a standard in a period, and the first day it did. */
export interface StandardUseRow {
  result_id: string;
  first_used: string;
  request_item_id: string;
  instrument_id: string;
  service: string;
  status: string;
}

export interface RevisionUseRow {
  result_id: string;
  id: string;
  revision: number;
  measured_on: string;
  status: string;
}

/**
 * The SQL of the calibration-result aggregate: `calibration_result`, its revisions and their points
 * and standards. Methods that run inside a use case's transaction take `tx` first; the others read
 * the pool, or the caller's transaction when one is given. Reads the names of the people on a
 * revision from auth's `staff_user` (the one table of another library read here: the worker-safe
 * CalibrationReadModule prints them on certificates and auth has no worker-safe read module yet).
 */
@Injectable()
export class CalibrationResultRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private manager(tx: Tx | undefined): EntityManager {
    return tx?.manager ?? this.db.manager;
  }

  /**
   * The revision with its performer and reviewer (one statement), then its points and its standards.
   * One statement at a time: under a transaction `tx`'s single connection cannot run two queries at
   * once (pg deprecates queueing them; a Promise.all here did).
   */
  async loadRevision(
    tx: Tx | undefined,
    where: { id: string } | { resultId: string; revision: number },
  ): Promise<LoadedRevision> {
    const m = this.manager(tx);
    // A query builder's getOne, not findOne: findOne's LIMIT with joins costs a second (DISTINCT) query.
    const revision = await m
      .getRepository(CalibrationResultRevision)
      .createQueryBuilder('rev')
      .setFindOptions({ where, relations: { performer: true, reviewer: true } })
      .getOne();
    if (!revision) {
      throw 'id' in where
        ? new NotFoundError('calibration_result_revision', where.id)
        : new NotFoundError('calibration_result_revision', `${where.resultId}/${where.revision}`);
    }
    const points = await this.pointsOf(m, revision.id);
    const standards = await m
      .getRepository(CalibrationResultStandard)
      .find({ where: { revisionId: revision.id }, order: { ordinal: 'ASC' } });
    return {
      revision,
      points,
      standards,
      performer: revision.performer ?? null,
      reviewer: revision.reviewedBy ? (revision.reviewer ?? null) : null,
    };
  }

  /**
   * What a certificate prints from a revision, in two statements from the pool: the revision joined
   * with everything it points to (result, request item and request, instrument with its type and
   * owner, the two people) and the standards it used; then its points. (Loading each by id and
   * relation took eight.) Null when there is no such revision.
   */
  async loadForCertificate(revisionId: string): Promise<RevisionForCertificate | null> {
    const m = this.db.manager;
    const revision = (await m
      .getRepository(CalibrationResultRevision)
      .createQueryBuilder('rev')
      .innerJoinAndSelect('rev.result', 'result')
      .leftJoinAndSelect('result.requestItem', 'item')
      .leftJoinAndSelect('item.request', 'request')
      .leftJoinAndSelect('result.instrument', 'instrument')
      .leftJoinAndSelect('instrument.instrumentType', 'instrumentType')
      .leftJoinAndSelect('instrument.owner', 'owner')
      .leftJoinAndSelect('rev.performer', 'performer')
      .leftJoinAndSelect('rev.reviewer', 'reviewer')
      .leftJoinAndMapMany('rev.standardsUsed', CalibrationResultStandard, 'standard', 'standard.revisionId = rev.id')
      .where('rev.id = :id', { id: revisionId })
      .orderBy('standard.ordinal', 'ASC')
      .getOne()) as (CalibrationResultRevision & { standardsUsed: CalibrationResultStandard[] }) | null;
    if (!revision) return null;
    const result = revision.result!;
    return {
      loaded: {
        revision,
        points: await this.pointsOf(m, revision.id),
        standards: revision.standardsUsed,
        performer: revision.performer ?? null,
        reviewer: revision.reviewedBy ? (revision.reviewer ?? null) : null,
      },
      result,
      instrument: result.instrument ?? null,
    };
  }

  private pointsOf(m: EntityManager, revisionId: string): Promise<CalibrationResultPoint[]> {
    return m.getRepository(CalibrationResultPoint).find({ where: { revisionId }, order: { ordinal: 'ASC' } });
  }

  /** The staff users with these ids (for their names). */
  people(tx: Tx | undefined, ids: string[]): Promise<StaffUser[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.manager(tx)
      .getRepository(StaffUser)
      .findBy(ids.map((id) => ({ id })));
  }

  /** A page of results (one more than the limit), newest first. */
  list(filter: ResultFilter): Promise<CalibrationResult[]> {
    const qb = this.db
      .getRepository(CalibrationResult)
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(filter.limit + 1);
    if (filter.instrumentId) qb.andWhere('r.instrument_id = :instrumentId', { instrumentId: filter.instrumentId });
    if (filter.requestItemId) qb.andWhere('r.request_item_id = :item', { item: filter.requestItemId });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.cursor) {
      const [createdAt, cid] = decodeCursor(filter.cursor, ['timestamptz', 'uuid']);
      qb.andWhere('(r.created_at, r.id) < (:createdAt::timestamptz, :cid::uuid)', { createdAt, cid });
    }
    return qb.getMany();
  }

  /** The revisions of the result that this person recorded. */
  async revisionsRecordedBy(tx: Tx, resultId: string, userId: string): Promise<number[]> {
    const rows = await tx.manager
      .getRepository(CalibrationResultRevision)
      .createQueryBuilder('v')
      .select('v.revision', 'revision')
      .where('v.result_id = :id AND v.performed_by = :user', { id: resultId, user: userId })
      .orderBy('v.revision')
      .getRawMany<{ revision: number }>();
    return rows.map((r) => r.revision);
  }

  /**
   * A page (one more than the limit) of the results that used the standard between `from` and `to`,
   * one row per result, by the first day it was used then result id.
   */
  standardUses(
    standardId: string,
    period: { from: string; to: string },
    page: { limit: number; cursor?: string },
  ): Promise<StandardUseRow[]> {
    const params: unknown[] = [standardId, period.from, period.to];
    let cursorSql = '';
    if (page.cursor) {
      const [first, id] = decodeCursor(page.cursor, ['date', 'uuid']);
      params.push(first, id);
      cursorSql = `WHERE (h.first_used, h.result_id) > ($4::date, $5::uuid)`;
    }
    params.push(page.limit + 1);
    return this.db.query(
      `WITH hits AS (
         SELECT v.result_id, min(s.measured_on) AS first_used
           FROM calibration_result_standard s
           JOIN calibration_result_revision v ON v.id = s.revision_id
          WHERE s.standard_id = $1 AND s.measured_on BETWEEN $2::date AND $3::date
          GROUP BY v.result_id)
       SELECT h.result_id, h.first_used::text AS first_used, r.request_item_id, r.instrument_id, r.service, r.status
         FROM hits h
         JOIN calibration_result r ON r.id = h.result_id
         ${cursorSql}
        ORDER BY h.first_used, h.result_id
        LIMIT $${params.length}`,
      params,
    );
  }

  /** The revisions of these results that used the standard between `from` and `to`, by revision. */
  revisionsUsing(
    standardId: string,
    period: { from: string; to: string },
    resultIds: string[],
  ): Promise<RevisionUseRow[]> {
    if (resultIds.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT v.result_id, v.id, v.revision, v.measured_on::text AS measured_on, v.status
         FROM calibration_result_standard s
         JOIN calibration_result_revision v ON v.id = s.revision_id
        WHERE s.standard_id = $1 AND s.measured_on BETWEEN $2::date AND $3::date AND v.result_id = ANY($4::uuid[])
        ORDER BY v.revision`,
      [standardId, period.from, period.to, resultIds],
    );
  }
}
