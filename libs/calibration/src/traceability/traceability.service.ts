import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, InvalidInputError, toPage } from '#libs/core';
import { StandardService } from '#libs/registry';
import type { AffectedPage, AffectedQuery, AffectedResultView } from './dto/affected.dto.js';

interface HitRow {
  result_id: string;
  first_used: string;
  request_item_id: string;
  request_id: string;
  service: string;
  status: string;
  instrument_id: string;
  serial_number: string;
  manufacturer: string;
  model: string | null;
  type_id: string;
  type_code: string;
  type_name: string;
  owner_id: string;
  owner_name: string;
}

interface RevisionRow {
  result_id: string;
  id: string;
  revision: number;
  measured_on: string;
  status: string;
}

/**
 * Reverse traceability: the day a standard is found out of tolerance, every result (with its request
 * item, instrument and customer) that used it in a period. One row per result; the revisions that
 * used it are listed, and the approved ones are what certificates were issued from.
 */
@Injectable()
export class TraceabilityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly standards: StandardService,
  ) {}

  async affected(standardId: string, query: AffectedQuery): Promise<AffectedPage> {
    await this.standards.find(standardId);
    if (query.from && query.to && query.from > query.to) {
      throw new InvalidInputError([{ field: 'to', message: 'to must not be before from' }]);
    }
    const from = query.from ?? '0001-01-01';
    const to = query.to ?? '9999-12-31';
    const params: unknown[] = [standardId, from, to];
    let cursorSql = '';
    if (query.cursor) {
      const [first, id] = decodeCursor(query.cursor, ['date', 'uuid']);
      params.push(first, id);
      cursorSql = `WHERE (h.first_used, h.result_id) > ($4::date, $5::uuid)`;
    }
    params.push(query.limit + 1);
    const rows: HitRow[] = await this.db.query(
      `WITH hits AS (
         SELECT v.result_id, min(s.measured_on) AS first_used
           FROM calibration_result_standard s
           JOIN calibration_result_revision v ON v.id = s.revision_id
          WHERE s.standard_id = $1 AND s.measured_on BETWEEN $2::date AND $3::date
          GROUP BY v.result_id)
       SELECT h.result_id, h.first_used::text AS first_used, r.request_item_id, ri.request_id, r.service, r.status,
              i.id AS instrument_id, i.serial_number, i.manufacturer, i.model,
              t.id AS type_id, t.code AS type_code, t.name_vi AS type_name, o.id AS owner_id, o.name AS owner_name
         FROM hits h
         JOIN calibration_result r ON r.id = h.result_id
         JOIN request_item ri ON ri.id = r.request_item_id
         JOIN instrument i ON i.id = r.instrument_id
         JOIN instrument_type t ON t.id = i.instrument_type_id
         JOIN organization o ON o.id = i.owner_id
         ${cursorSql}
        ORDER BY h.first_used, h.result_id
        LIMIT $${params.length}`,
      params,
    );
    const page = toPage(
      rows,
      query.limit,
      (r) => [r.first_used, r.result_id],
      (r) => r,
    );
    const revisions: RevisionRow[] = page.items.length
      ? await this.db.query(
          `SELECT v.result_id, v.id, v.revision, v.measured_on::text AS measured_on, v.status
             FROM calibration_result_standard s
             JOIN calibration_result_revision v ON v.id = s.revision_id
            WHERE s.standard_id = $1 AND s.measured_on BETWEEN $2::date AND $3::date AND v.result_id = ANY($4::uuid[])
            ORDER BY v.revision`,
          [standardId, from, to, page.items.map((r) => r.result_id)],
        )
      : [];
    const items = page.items.map((r): AffectedResultView => {
      const own = revisions.filter((v) => v.result_id === r.result_id);
      return {
        resultId: r.result_id,
        requestItemId: r.request_item_id,
        requestId: r.request_id,
        service: r.service,
        status: r.status,
        firstUsedOn: r.first_used,
        instrument: {
          id: r.instrument_id,
          serialNumber: r.serial_number,
          manufacturer: r.manufacturer,
          model: r.model,
          typeId: r.type_id,
          typeCode: r.type_code,
          typeName: r.type_name,
        },
        customer: { id: r.owner_id, name: r.owner_name },
        revisions: own.map((v) => ({ id: v.id, revision: v.revision, measuredOn: v.measured_on, status: v.status })),
        approvedRevisionIds: own.filter((v) => v.status === 'approved').map((v) => v.id),
      };
    });
    return { standardId, from: query.from ?? null, to: query.to ?? null, items, nextCursor: page.nextCursor };
  }
}
