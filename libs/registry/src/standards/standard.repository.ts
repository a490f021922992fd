import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource } from 'typeorm';
import { decodeCursor, type Tx } from '#libs/core';
import { escapeLike } from '../organizations/organization.repository.js';
import { MeasurementStandard, StandardCalibration, StandardCheck } from './standard.entity.js';

/** Arbitrary but fixed: serialises changes to the traceability graph, so two links cannot close a cycle together. */
const TRACEABILITY_LOCK_KEY = 720_417_003;

export interface StandardFilter {
  limit: number;
  cursor?: string;
  q?: string;
  level?: string;
  status?: string;
}

export interface StandardDueRow {
  id: string;
  code: string;
  name: string;
  level: MeasurementStandard['level'];
  custodian_section: string | null;
  due_date: string | null;
  sort_key: string;
  days_until_due: number | null;
  certificate_number: string | null;
}

/**
 * The SQL of the measurement-standard aggregate: `measurement_standard`, its calibrations (with their
 * values and traceability links) and its intermediate checks. Methods that run inside a use case's
 * transaction take `tx` first; reads outside one use the pool.
 */
@Injectable()
export class StandardRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The date (and, for a check, the verdict) of a check or calibration of this standard; null when it is not one. */
  async evidence(
    standardId: string,
    kind: 'intermediate_check' | 'calibration',
    id: string,
  ): Promise<{ date: string; passed: boolean | null } | null> {
    const sql =
      kind === 'intermediate_check'
        ? `SELECT check_date::text AS date, passed FROM standard_check WHERE id = $1 AND standard_id = $2`
        : `SELECT calibration_date::text AS date, NULL::boolean AS passed FROM standard_calibration WHERE id = $1 AND standard_id = $2`;
    const rows = (await this.db.query(sql, [id, standardId])) as { date: string; passed: boolean | null }[];
    return rows[0] ?? null;
  }

  /** The latest calibration or passed intermediate check strictly before `date`; null when none. */
  async lastGoodBefore(standardId: string, date: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT max(d)::text AS date FROM (
         SELECT calibration_date AS d FROM standard_calibration WHERE standard_id = $1 AND calibration_date < $2::date
         UNION ALL
         SELECT check_date FROM standard_check WHERE standard_id = $1 AND passed AND check_date < $2::date) x`,
      [standardId, date],
    )) as { date: string | null }[];
    return rows[0]?.date ?? null;
  }

  /** The calibration record of this standard; null when there is none. */
  calibrationOf(standardId: string, calibrationId: string): Promise<StandardCalibration | null> {
    return this.db.getRepository(StandardCalibration).findOneBy({ id: calibrationId, standardId });
  }

  /** Points the record at its certificate's PDF; returns the SHA-256 it pointed at before, if any. */
  async attachCertificateFile(
    tx: Tx,
    calibrationId: string,
    file: { sha256: string; size: number; fileName: string | null },
  ): Promise<string | null> {
    const [before] = (await tx.manager.query(
      `SELECT certificate_file_sha256 AS sha256 FROM standard_calibration WHERE id = $1 FOR UPDATE`,
      [calibrationId],
    )) as { sha256: string | null }[];
    await tx.manager.query(
      `UPDATE standard_calibration SET certificate_file_sha256 = $2, certificate_file_size = $3,
              certificate_file_name = $4, certificate_file_uploaded_at = now() WHERE id = $1`,
      [calibrationId, file.sha256, file.size, file.fileName],
    );
    return before?.sha256 ?? null;
  }

  /** A page of standards (one more than the limit), by code then id. */
  list(filter: StandardFilter): Promise<MeasurementStandard[]> {
    const qb = this.db
      .getRepository(MeasurementStandard)
      .createQueryBuilder('s')
      .orderBy('s.code', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.q) {
      const q = `%${escapeLike(filter.q)}%`;
      qb.andWhere(new Brackets((w) => w.where('s.code ILIKE :q', { q }).orWhere('s.name ILIKE :q', { q })));
    }
    if (filter.level) qb.andWhere('s.level = :level', { level: filter.level });
    if (filter.status) qb.andWhere('s.status = :status', { status: filter.status });
    if (filter.cursor) {
      const [code, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(s.code, s.id) > (:code, :id)', { code, id });
    }
    return qb.getMany();
  }

  /** A page of the standard's calibrations (one more than the limit), newest first, with values and parent. */
  calibrations(standardId: string, page: { limit: number; cursor?: string }): Promise<StandardCalibration[]> {
    const qb = this.db
      .getRepository(StandardCalibration)
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.values', 'v')
      .leftJoinAndSelect('c.traceableToStandard', 'p')
      .where('c.standard_id = :standardId', { standardId })
      // Property names, not columns: with take() and joins TypeORM pages through a distinct-id subquery.
      .orderBy('c.calibrationDate', 'DESC')
      .addOrderBy('c.id', 'DESC');
    if (page.cursor) {
      const [date, id] = decodeCursor(page.cursor, ['date', 'uuid']);
      qb.andWhere('(c.calibration_date, c.id) < (:date, :id)', { date, id });
    }
    // take() with a joined collection pages by parent rows (TypeORM runs a distinct id query first).
    return qb.take(page.limit + 1).getMany();
  }

  /** A page of the standard's intermediate checks (one more than the limit), newest first. */
  checks(standardId: string, page: { limit: number; cursor?: string }): Promise<StandardCheck[]> {
    const qb = this.db
      .getRepository(StandardCheck)
      .createQueryBuilder('k')
      .where('k.standard_id = :standardId', { standardId })
      .orderBy('k.check_date', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .take(page.limit + 1);
    if (page.cursor) {
      const [date, id] = decodeCursor(page.cursor, ['date', 'uuid']);
      qb.andWhere('(k.check_date, k.id) < (:date, :id)', { date, id });
    }
    return qb.getMany();
  }

  /** The standard's latest calibration on or before `at`, with its values and parent standard. */
  async calibrationOn(standardId: string, at: string): Promise<StandardCalibration | null> {
    return this.db
      .getRepository(StandardCalibration)
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.values', 'v')
      .leftJoinAndSelect('c.traceableToStandard', 'p')
      .where('c.standard_id = :id AND c.calibration_date <= :at', { id: standardId, at })
      .orderBy('c.calibration_date', 'DESC')
      .addOrderBy('c.created_at', 'DESC')
      .getOne();
  }

  /** The standards of these quantities (compared trimmed, case-insensitively), by code. */
  ofQuantities(tx: Tx | undefined, quantities: readonly string[]): Promise<MeasurementStandard[]> {
    if (quantities.length === 0) return Promise.resolve([]);
    return (tx?.manager ?? this.db.manager)
      .getRepository(MeasurementStandard)
      .createQueryBuilder('s')
      .where('lower(trim(s.quantity)) IN (:...quantities)', { quantities })
      .orderBy('s.code', 'ASC')
      .getMany();
  }

  /**
   * A page of the standards due (one more than the limit): not retired, the latest certificate's due
   * date on or before `until`, or never calibrated (first); days counted from `asOf`.
   */
  due(filter: { limit: number; cursor?: string; until: string; asOf: string }): Promise<StandardDueRow[]> {
    const params: unknown[] = [filter.until, filter.asOf];
    let cursorSql = '';
    if (filter.cursor) {
      const [date, id] = decodeCursor(filter.cursor, ['date', 'uuid']);
      params.push(date, id);
      cursorSql = `AND (d.sort_date, d.id) > ($3::date, $4::uuid)`;
    }
    params.push(filter.limit + 1);
    return this.db.query(
      `SELECT d.*, d.sort_date::text AS sort_key FROM (
         SELECT s.id, s.code, s.name, s.level, s.custodian_section, lc.due_date::text AS due_date, lc.certificate_number,
                COALESCE(lc.due_date, '0001-01-01'::date) AS sort_date, (lc.due_date - $2::date) AS days_until_due
           FROM measurement_standard s
           LEFT JOIN LATERAL (SELECT c.due_date, c.certificate_number FROM standard_calibration c
                               WHERE c.standard_id = s.id ORDER BY c.calibration_date DESC, c.created_at DESC LIMIT 1) lc ON true
          WHERE s.status <> 'retired' AND (lc.due_date IS NULL OR lc.due_date <= $1::date)) d
        WHERE true ${cursorSql}
        ORDER BY d.sort_date, d.id
        LIMIT $${params.length}`,
      params,
    );
  }

  /** Until the transaction ends, no other transaction changes the traceability graph. */
  async lockTraceability(tx: Tx): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [TRACEABILITY_LOCK_KEY]);
  }

  /** Does `from` reach `target` going up the traceability graph (through every certificate ever recorded)? */
  async reaches(tx: Tx, from: string, target: string): Promise<boolean> {
    const rows = (await tx.manager.query(
      `WITH RECURSIVE up(id) AS (
         SELECT $1::uuid
         UNION
         SELECT c.traceable_to_standard_id FROM standard_calibration c JOIN up ON c.standard_id = up.id
          WHERE c.traceable_to_standard_id IS NOT NULL)
       SELECT 1 FROM up WHERE id = $2::uuid LIMIT 1`,
      [from, target],
    )) as unknown[];
    return rows.length > 0;
  }
}
