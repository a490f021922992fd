import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, NotFoundError, type Tx } from '#libs/core';
import type { Contact } from '#libs/registry';
import {
  CalibrationResult,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
} from './result.entity.js';

/** A staff member's name, from auth's published view `auth_staff_name_v`. */
export interface StaffName {
  id: string;
  fullName: string;
}

/** What a result's view shows of its request item and instrument (null when gone). */
export interface ResultCard {
  requestId: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  model: string | null;
  typeId: string | null;
  typeCode: string | null;
  typeName: string | null;
  ownerId: string | null;
  ownerName: string | null;
}

/** A revision with everything it holds. */
export interface LoadedRevision {
  revision: CalibrationResultRevision;
  points: CalibrationResultPoint[];
  standards: CalibrationResultStandard[];
  performer: StaffName | null;
  reviewer: StaffName | null;
}

/** A standard a revision used, as a certificate prints it. */
export interface StandardForCertificate {
  standardId: string;
  code: string;
  name: string;
  certificateNumber: string;
  issuingLab: string;
  calibrationDate: string;
  dueDate: string;
}

/** A point of a revision, as a certificate prints it (numbers as their decimal text). */
export interface PointForCertificate {
  ordinal: number;
  series: CalibrationResultPoint['series'];
  nominal: string;
  unit: string;
  referenceValue: string;
  indicatedMean: string;
  error: string;
  roundedError: string;
  expandedUncertainty: string;
  roundedExpandedUncertainty: string;
  coverageFactor: string;
  effectiveDegreesOfFreedom: string | null;
  mpe: string | null;
  decision: CalibrationResultPoint['decision'];
}

/**
 * A revision as a certificate reads it, in one row: the revision and its result; from the
 * published views of other libraries, the request item (requests_item_card_v), the instrument with
 * its type and owner (registry_instrument_card_v, null columns when it is gone) and the two people's
 * names (auth_staff_name_v); the standards and points in order.
 */
export interface RevisionForCertificate {
  id: string;
  resultId: string;
  revision: number;
  reason: string | null;
  status: CalibrationResultRevision['status'];
  procedureCode: string;
  procedureVersion: string | null;
  measuredOn: string;
  place: string;
  temperature: string | null;
  humidity: string | null;
  pressure: string | null;
  conformityRequested: boolean;
  decisionRule: CalibrationResultRevision['decisionRule'];
  guardBandFactor: string | null;
  decisionRuleSource: CalibrationResultRevision['decisionRuleSource'];
  coverageProbability: string;
  adjusted: boolean;
  overallOutcome: CalibrationResultRevision['overallOutcome'];
  asFoundOutcome: CalibrationResultRevision['asFoundOutcome'];
  performedBy: string;
  performerName: string | null;
  reviewedBy: string | null;
  reviewerName: string | null;
  reviewedAt: Date | null;
  requestItemId: string;
  service: CalibrationResult['service'];
  instrumentId: string;
  item: {
    requestId: string;
    ordinal: number;
    labelId: string | null;
    receivedAt: Date | null;
    conditionOnReceipt: string | null;
    place: 'lab' | 'on_site';
    siteAddress: string | null;
  };
  /** Null when the instrument is gone. */
  instrument: {
    typeCode: string;
    typeNameVi: string;
    typeNameEn: string;
    manufacturer: string;
    model: string | null;
    serialNumber: string;
    accuracyClass: string | null;
    rangeMin: string | null;
    rangeMax: string | null;
    rangeUnit: string | null;
    resolution: string | null;
    resolutionUnit: string | null;
    siteName: string | null;
    streetAddress: string | null;
    owner: {
      id: string;
      name: string;
      taxCode: string;
      streetAddress: string;
      ward: string | null;
      district: string | null;
      province: string;
      contacts: Contact[];
    };
  } | null;
  standards: StandardForCertificate[];
  points: PointForCertificate[];
}

/**
 * loadForCertificate's statement. Numbers and dates as text (what the entities hold), json objects
 * built in SQL so that the row is the reader's shape.
 */
const FOR_CERTIFICATE_SQL = `
  SELECT rev.id, rev.result_id AS "resultId", rev.revision, rev.reason, rev.status,
         rev.procedure_code AS "procedureCode", rev.procedure_version AS "procedureVersion",
         rev.measured_on::text AS "measuredOn", rev.place, rev.temperature::text AS temperature,
         rev.humidity::text AS humidity, rev.pressure::text AS pressure,
         rev.conformity_requested AS "conformityRequested", rev.decision_rule AS "decisionRule",
         rev.guard_band_factor::text AS "guardBandFactor", rev.decision_rule_source AS "decisionRuleSource",
         rev.coverage_probability::text AS "coverageProbability", rev.adjusted,
         rev.overall_outcome AS "overallOutcome", rev.as_found_outcome AS "asFoundOutcome",
         rev.performed_by AS "performedBy", performer.full_name AS "performerName",
         rev.reviewed_by AS "reviewedBy", reviewer.full_name AS "reviewerName", rev.reviewed_at AS "reviewedAt",
         res.request_item_id AS "requestItemId", res.service, res.instrument_id AS "instrumentId",
         json_build_object('requestId', item.request_id, 'ordinal', item.ordinal, 'labelId', item.label_id,
           'receivedAt', item.received_at, 'conditionOnReceipt', item.condition_on_receipt,
           'place', item.place, 'siteAddress', item.site_address) AS item,
         CASE WHEN ins.instrument_id IS NULL THEN NULL ELSE json_build_object(
           'typeCode', ins.type_code, 'typeNameVi', ins.type_name_vi, 'typeNameEn', ins.type_name_en,
           'manufacturer', ins.manufacturer, 'model', ins.model, 'serialNumber', ins.serial_number,
           'accuracyClass', ins.accuracy_class, 'rangeMin', ins.range_min::text, 'rangeMax', ins.range_max::text,
           'rangeUnit', ins.range_unit, 'resolution', ins.resolution::text, 'resolutionUnit', ins.resolution_unit,
           'siteName', ins.site_name, 'streetAddress', ins.street_address,
           'owner', json_build_object('id', ins.owner_id, 'name', ins.owner_name, 'taxCode', ins.owner_tax_code,
             'streetAddress', ins.owner_street_address, 'ward', ins.owner_ward, 'district', ins.owner_district,
             'province', ins.owner_province, 'contacts', ins.owner_contacts)) END AS instrument,
         (SELECT coalesce(json_agg(json_build_object('standardId', s.standard_id, 'code', s.standard_code,
                   'name', s.standard_name, 'certificateNumber', s.certificate_number, 'issuingLab', s.issuing_lab,
                   'calibrationDate', s.calibration_date::text, 'dueDate', s.due_date::text) ORDER BY s.ordinal), '[]')
            FROM calibration_result_standard s WHERE s.revision_id = rev.id) AS standards,
         (SELECT coalesce(json_agg(json_build_object('ordinal', p.ordinal, 'series', p.series,
                   'nominal', p.nominal::text, 'unit', p.unit, 'referenceValue', p.reference_value::text,
                   'indicatedMean', p.indicated_mean::text, 'error', p.error::text,
                   'roundedError', p.rounded_error::text, 'expandedUncertainty', p.expanded_uncertainty::text,
                   'roundedExpandedUncertainty', p.rounded_expanded_uncertainty::text,
                   'coverageFactor', p.coverage_factor::text,
                   'effectiveDegreesOfFreedom', p.effective_degrees_of_freedom::text, 'mpe', p.mpe::text,
                   'decision', p.decision) ORDER BY p.ordinal), '[]')
            FROM calibration_result_point p WHERE p.revision_id = rev.id) AS points
    FROM calibration_result_revision rev
    JOIN calibration_result res ON res.id = rev.result_id
    JOIN requests_item_card_v item ON item.item_id = res.request_item_id
    LEFT JOIN registry_instrument_card_v ins ON ins.instrument_id = res.instrument_id
    LEFT JOIN auth_staff_name_v performer ON performer.staff_id = rev.performed_by
    LEFT JOIN auth_staff_name_v reviewer ON reviewer.staff_id = rev.reviewed_by
   WHERE rev.id = $1`;

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
 * the pool, or the caller's transaction when one is given. No other library's table is named here:
 * what a result shows of a request item, an instrument or a person comes from the views those
 * libraries publish (`requests_item_card_v`, `registry_instrument_card_v`, `auth_staff_name_v`).
 */
@Injectable()
export class CalibrationResultRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private manager(tx: Tx | undefined): EntityManager {
    return tx?.manager ?? this.db.manager;
  }

  /**
   * The revision with its performer's and reviewer's names (one statement, joining auth's
   * `auth_staff_name_v`), then its points and its standards. One statement at a time: under a
   * transaction `tx`'s single connection cannot run two queries at once (pg deprecates queueing
   * them; a Promise.all here did).
   */
  async loadRevision(
    tx: Tx | undefined,
    where: { id: string } | { resultId: string; revision: number },
  ): Promise<LoadedRevision> {
    const m = this.manager(tx);
    const qb = m
      .getRepository(CalibrationResultRevision)
      .createQueryBuilder('rev')
      .leftJoin('auth_staff_name_v', 'performer', 'performer.staff_id = rev.performed_by')
      .leftJoin('auth_staff_name_v', 'reviewer', 'reviewer.staff_id = rev.reviewed_by')
      .addSelect('performer.full_name', 'performer_name')
      .addSelect('reviewer.full_name', 'reviewer_name');
    if ('id' in where) qb.where('rev.id = :id', { id: where.id });
    else qb.where('rev.result_id = :resultId AND rev.revision = :revision', where);
    const { entities, raw } = await qb.getRawAndEntities<{
      performer_name: string | null;
      reviewer_name: string | null;
    }>();
    const revision = entities[0];
    if (!revision) {
      throw 'id' in where
        ? new NotFoundError('calibration_result_revision', where.id)
        : new NotFoundError('calibration_result_revision', `${where.resultId}/${where.revision}`);
    }
    const names = raw[0]!;
    const points = await this.pointsOf(m, revision.id);
    const standards = await m
      .getRepository(CalibrationResultStandard)
      .find({ where: { revisionId: revision.id }, order: { ordinal: 'ASC' } });
    return {
      revision,
      points,
      standards,
      performer: names.performer_name === null ? null : { id: revision.performedBy, fullName: names.performer_name },
      reviewer:
        revision.reviewedBy && names.reviewer_name !== null
          ? { id: revision.reviewedBy, fullName: names.reviewer_name }
          : null,
    };
  }

  /**
   * What a certificate prints from a revision, in one statement from the pool: calibration's own
   * tables joined with the views the requests, registry and auth libraries publish for it (no other
   * library's table is named; see the migration PublishedReadViews). Null when there is no such
   * revision.
   */
  async loadForCertificate(revisionId: string): Promise<RevisionForCertificate | null> {
    const rows = (await this.db.query(FOR_CERTIFICATE_SQL, [revisionId])) as (Omit<RevisionForCertificate, 'item'> & {
      item: Omit<RevisionForCertificate['item'], 'receivedAt'> & { receivedAt: string | null };
    })[];
    const row = rows[0];
    if (!row) return null;
    // json_build_object gives the receipt's time as text.
    return { ...row, item: { ...row.item, receivedAt: row.item.receivedAt ? new Date(row.item.receivedAt) : null } };
  }

  private pointsOf(m: EntityManager, revisionId: string): Promise<CalibrationResultPoint[]> {
    return m.getRepository(CalibrationResultPoint).find({ where: { revisionId }, order: { ordinal: 'ASC' } });
  }

  /**
   * The result with what its view shows of its request item and instrument (type, owner), from the
   * published views `requests_item_card_v` and `registry_instrument_card_v`; one statement.
   */
  async findWithCard(id: string): Promise<{ result: CalibrationResult; card: ResultCard } | null> {
    const { entities, raw } = await this.db
      .getRepository(CalibrationResult)
      .createQueryBuilder('r')
      .leftJoin('requests_item_card_v', 'item', 'item.item_id = r.request_item_id')
      .leftJoin('registry_instrument_card_v', 'ins', 'ins.instrument_id = r.instrument_id')
      .addSelect('item.request_id', 'card_request_id')
      .addSelect('ins.serial_number', 'card_serial_number')
      .addSelect('ins.manufacturer', 'card_manufacturer')
      .addSelect('ins.model', 'card_model')
      .addSelect('ins.instrument_type_id', 'card_type_id')
      .addSelect('ins.type_code', 'card_type_code')
      .addSelect('ins.type_name_vi', 'card_type_name')
      .addSelect('ins.owner_id', 'card_owner_id')
      .addSelect('ins.owner_name', 'card_owner_name')
      .where('r.id = :id', { id })
      .getRawAndEntities<Record<string, string | null>>();
    const result = entities[0];
    if (!result) return null;
    const c = raw[0]!;
    return {
      result,
      card: {
        requestId: c.card_request_id ?? null,
        serialNumber: c.card_serial_number ?? null,
        manufacturer: c.card_manufacturer ?? null,
        model: c.card_model ?? null,
        typeId: c.card_type_id ?? null,
        typeCode: c.card_type_code ?? null,
        typeName: c.card_type_name ?? null,
        ownerId: c.card_owner_id ?? null,
        ownerName: c.card_owner_name ?? null,
      },
    };
  }

  /** The names of the staff members with these ids (auth's `auth_staff_name_v`). */
  async people(tx: Tx | undefined, ids: string[]): Promise<StaffName[]> {
    if (ids.length === 0) return [];
    return (await this.manager(tx).query(
      `SELECT staff_id AS id, full_name AS "fullName" FROM auth_staff_name_v WHERE staff_id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    )) as StaffName[];
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
