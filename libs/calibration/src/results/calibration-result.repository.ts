import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { StaffUser } from '#libs/auth';
import { decodeCursor, NotFoundError, type Tx } from '#libs/core';
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

  async loadRevision(
    tx: Tx | undefined,
    where: { id: string } | { resultId: string; revision: number },
  ): Promise<LoadedRevision> {
    const m = this.manager(tx);
    const revision = await m.getRepository(CalibrationResultRevision).findOneBy(where);
    if (!revision) {
      throw 'id' in where
        ? new NotFoundError('calibration_result_revision', where.id)
        : new NotFoundError('calibration_result_revision', `${where.resultId}/${where.revision}`);
    }
    const [points, standards, people] = await Promise.all([
      m.getRepository(CalibrationResultPoint).find({ where: { revisionId: revision.id }, order: { ordinal: 'ASC' } }),
      m
        .getRepository(CalibrationResultStandard)
        .find({ where: { revisionId: revision.id }, order: { ordinal: 'ASC' } }),
      this.people(tx, [revision.performedBy, ...(revision.reviewedBy ? [revision.reviewedBy] : [])]),
    ]);
    return {
      revision,
      points,
      standards,
      performer: people.find((p) => p.id === revision.performedBy) ?? null,
      reviewer: revision.reviewedBy ? (people.find((p) => p.id === revision.reviewedBy) ?? null) : null,
    };
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
