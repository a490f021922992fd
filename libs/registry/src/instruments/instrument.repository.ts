import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, rankedMatches, type MatchMode, type RankedRow, type SearchTerms, type Tx } from '#libs/core';
import { VERIFICATION_SERVICES, type ServiceKind } from '../instrument-types/instrument-type.entity.js';
import type { DueState, ServiceOutcome } from './instrument.service.js';
import { Instrument, InstrumentServiceRecord } from './instrument.entity.js';

/**
 * The rule for the next due date, in one place (SQL, so that a cycle added later can recompute many
 * instruments in one statement): the last verification, if it passed, plus the cycle in force on
 * that verification's date. A failed last verification leaves no due date: the instrument may not be
 * used until it passes again (after repair), so there is nothing to recall it for. A period with no
 * periodic verification (cycle null) or with no known cycle gives no due date either.
 *
 * Revocation: when the certificate of that last passed verification was revoked, the instrument is
 * unverified from the revocation date, which becomes its due date (LEAST: a certificate revoked
 * after it had already expired does not push the date later; LEAST ignores NULLs, so a type without
 * a cycle still gets the revocation date). A later verification is a newer last verification,
 * without a revocation: the normal rule applies again. Calibrations never set a due date (there is no
 * legal calibration interval), so revoking a calibration certificate is recorded on its service
 * record only.
 */
const NEXT_DUE = `CASE WHEN i.last_verification_passed THEN LEAST(i.last_verification_revoked_on, (
    SELECT (i.last_verification_date + c.cycle_months * interval '1 month')::date
      FROM instrument_type_cycle c
     WHERE c.instrument_type_id = i.instrument_type_id AND c.effective_from <= i.last_verification_date
     ORDER BY c.effective_from DESC
     LIMIT 1))
  END`;

/**
 * The rule for the next calibration date: the last calibration whose certificate is not revoked plus
 * the interval the customer chose (ISO/IEC 17025 7.8.4.3: no interval is the laboratory's to impose,
 * and none is legal). Without either there is nothing to recall for.
 */
const NEXT_CALIBRATION = `(i.last_calibration_date + i.calibration_interval_months * interval '1 month')::date`;

/** An instrument's due state as stored: read by dueState, and by the lock that writes a service record. */
const DUE_STATE_COLUMNS = `next_due_date::text AS next_due_date, last_verification_date::text AS last_verification_date,
  last_verification_passed`;

interface DueStateRow {
  next_due_date: string | null;
  last_verification_date: string | null;
  last_verification_passed: boolean | null;
}

function toDueState(row: DueStateRow): DueState {
  return {
    nextDueDate: row.next_due_date,
    lastVerification: row.last_verification_date
      ? { date: row.last_verification_date, passed: row.last_verification_passed === true }
      : null,
  };
}

/** An instrument's identity within its owner: unique (owner, type, manufacturer, serial number). */
export interface InstrumentIdentity {
  instrumentTypeId: string;
  manufacturer: string;
  serialNumber: string;
}

/** The filters of the instrument list; `scope` is a business's own organization. */
export interface InstrumentFilter {
  limit: number;
  cursor?: string;
  scope?: string;
  owner?: string;
  type?: string;
  status?: string;
  serial?: string;
}

/** The filters of the recall list, with the window's end (`until`) and the day counted from (`asOf`). */
export interface DueFilter {
  /** Which due date: the verification's (default) or the calibration's. */
  service?: 'verification' | 'calibration';
  limit: number;
  cursor?: string;
  until: string;
  asOf: string;
  scope?: string;
  owner?: string;
  type?: string;
  district?: string;
  province?: string;
  commune?: string;
}

export interface DueRow {
  id: string;
  next_due_date: string;
  days_until_due: number;
  owner_id: string;
  owner_name: string;
  instrument_type_id: string;
  type_code: string;
  type_name_vi: string;
  type_unit: string;
  manufacturer: string;
  model: string | null;
  serial_number: string;
  site_name: string | null;
  street_address: string | null;
  district: string | null;
  province_unit_id: string | null;
  province_name: string | null;
  commune_unit_id: string | null;
  commune_name: string | null;
  last_verification_date: string | null;
  last_certificate_number: string | null;
  last_verification_revoked_on: string | null;
  last_calibration_date: string | null;
}

/** What other libraries show of an instrument next to their own rows: identity, type and owner. */
export interface InstrumentSummary {
  id: string;
  serialNumber: string;
  manufacturer: string;
  model: string | null;
  rangeMax: string | null;
  rangeUnit: string | null;
  instrumentType: { id: string; code: string; nameVi: string };
  owner: { id: string; name: string };
}

/** What a request needs of an instrument it names. */
export interface RegisteredInstrument {
  id: string;
  instrumentTypeId: string;
  manufacturer: string;
  model: string | null;
  serialNumber: string;
  status: Instrument['status'];
}

/** What a service record is written with besides the outcome. */
export interface RecordWrite {
  onDuplicate: 'refuse' | 'reinstate';
  origin: 'import' | 'approval';
  recordedBy: string | null;
}

/**
 * The SQL of the instrument aggregate: `instrument` and its `instrument_service_record` history,
 * with the due-date rule (NEXT_DUE) and the recall list (which shows the owner's and the type's
 * names, both registry tables). Methods that run inside a use case's transaction take `tx` first;
 * reads outside one use the pool.
 */
@Injectable()
export class InstrumentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The instrument's owner, its row locked until the transaction ends; null when there is none. */
  async lockOwner(tx: Tx, instrumentId: string): Promise<{ ownerId: string } | null> {
    const [row] = (await tx.manager.query(`SELECT owner_id FROM instrument WHERE id = $1 FOR UPDATE`, [
      instrumentId,
    ])) as { owner_id: string }[];
    return row ? { ownerId: row.owner_id } : null;
  }

  /** Whether the organization is active; null when there is none. */
  async organizationActive(tx: Tx, organizationId: string): Promise<boolean | null> {
    const [row] = (await tx.manager.query(`SELECT active FROM organization WHERE id = $1`, [organizationId])) as {
      active: boolean;
    }[];
    return row ? row.active : null;
  }

  /** Whether the organization has another instrument with this one's identity (type, manufacturer, serial). */
  async ownerHasSameIdentity(tx: Tx, instrumentId: string, ownerId: string): Promise<boolean> {
    const rows = (await tx.manager.query(
      `SELECT 1 FROM instrument o JOIN instrument i ON i.id = $1
        WHERE o.owner_id = $2 AND o.instrument_type_id = i.instrument_type_id
          AND o.manufacturer = i.manufacturer AND o.serial_number = i.serial_number`,
      [instrumentId, ownerId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Moves the instrument to its new owner and records the transfer, at the transaction's time. */
  async recordTransfer(
    tx: Tx,
    t: { instrumentId: string; from: string; to: string; reason: string; recordedBy: string | null },
  ): Promise<void> {
    await tx.manager.query(`UPDATE instrument SET owner_id = $2, updated_at = now() WHERE id = $1`, [
      t.instrumentId,
      t.to,
    ]);
    await tx.manager.query(
      `INSERT INTO instrument_transfer (instrument_id, from_owner_id, to_owner_id, transferred_at, reason, recorded_by)
       VALUES ($1, $2, $3, now(), $4, $5)`,
      [t.instrumentId, t.from, t.to, t.reason, t.recordedBy],
    );
  }

  /** The instrument's registration, its first owner and its transfers (oldest first), with the owners' names. */
  async ownershipOf(instrumentId: string): Promise<{
    registeredAt: Date;
    firstOwner: { id: string; name: string };
    transfers: { at: Date; to: { id: string; name: string }; reason: string }[];
  } | null> {
    const [instrument] = (await this.db.query(
      `SELECT i.created_at, o.id, o.name FROM instrument i
         JOIN organization o ON o.id = COALESCE(
           (SELECT from_owner_id FROM instrument_transfer WHERE instrument_id = i.id ORDER BY transferred_at, id LIMIT 1),
           i.owner_id)
        WHERE i.id = $1`,
      [instrumentId],
    )) as { created_at: Date; id: string; name: string }[];
    if (!instrument) return null;
    const transfers = (await this.db.query(
      `SELECT t.transferred_at, t.reason, o.id, o.name FROM instrument_transfer t
         JOIN organization o ON o.id = t.to_owner_id
        WHERE t.instrument_id = $1 ORDER BY t.transferred_at, t.id`,
      [instrumentId],
    )) as { transferred_at: Date; reason: string; id: string; name: string }[];
    return {
      registeredAt: instrument.created_at,
      firstOwner: { id: instrument.id, name: instrument.name },
      transfers: transfers.map((t) => ({ at: t.transferred_at, reason: t.reason, to: { id: t.id, name: t.name } })),
    };
  }

  /** Instruments whose serial number or centre's label code matches, best first (core's rankedMatches). */
  async search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    const select = `id, serial_number AS label, concat_ws(' · ', label_code, manufacturer, model) AS detail`;
    const [bySerial, byLabel] = await Promise.all([
      rankedMatches(
        this.db.manager,
        { table: 'instrument', column: 'serial_number', select, identifier: true },
        terms,
        limit,
        mode,
      ),
      rankedMatches(
        this.db.manager,
        { table: 'instrument', column: 'label_code', select, identifier: true },
        terms,
        limit,
        mode,
      ),
    ]);
    return [...bySerial, ...byLabel];
  }

  /** A page of instruments (one more than the limit), by serial number then id. */
  list(filter: InstrumentFilter): Promise<Instrument[]> {
    const qb = this.db
      .getRepository(Instrument)
      .createQueryBuilder('i')
      .leftJoinAndSelect('i.owner', 'o')
      .leftJoinAndSelect('i.instrumentType', 't')
      .orderBy('i.serial_number', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.scope) qb.andWhere('i.owner_id = :scope', { scope: filter.scope });
    if (filter.owner) qb.andWhere('i.owner_id = :owner', { owner: filter.owner });
    if (filter.type) qb.andWhere('i.instrument_type_id = :type', { type: filter.type });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.serial) qb.andWhere('i.serial_number = :serial', { serial: filter.serial });
    if (filter.cursor) {
      const [serial, id] = decodeCursor(filter.cursor, ['text', 'uuid']);
      qb.andWhere('(i.serial_number, i.id) > (:cserial, :cid)', { cserial: serial, cid: id });
    }
    return qb.getMany();
  }

  /** Of `candidates`, those the owner has registered already, as JSON [type, manufacturer, serial] keys. */
  async registeredIdentities(tx: Tx, ownerId: string, candidates: InstrumentIdentity[]): Promise<Set<string>> {
    const rows = (await tx.manager.query(
      `SELECT i.instrument_type_id, i.manufacturer, i.serial_number FROM instrument i
         JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS n(type_id, manufacturer, serial_number)
           ON i.instrument_type_id = n.type_id AND i.manufacturer = n.manufacturer AND i.serial_number = n.serial_number
        WHERE i.owner_id = $1`,
      [
        ownerId,
        candidates.map((r) => r.instrumentTypeId),
        candidates.map((r) => r.manufacturer),
        candidates.map((r) => r.serialNumber),
      ],
    )) as { instrument_type_id: string; manufacturer: string; serial_number: string }[];
    return new Set(rows.map((r) => identityKey(r.instrument_type_id, r.manufacturer, r.serial_number)));
  }

  /** Locks the instrument row until the transaction ends; false when there is no such instrument. */
  async lock(tx: Tx, instrumentId: string): Promise<boolean> {
    const rows = (await tx.manager.query(`SELECT id FROM instrument WHERE id = $1 FOR UPDATE`, [
      instrumentId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Locks the instrument and inserts the record of (instrument, service, date), in one statement (the
   * CTE is read, and its row locked, before anything is inserted; FOR UPDATE returns the row as its
   * last holder committed it; ON CONFLICT looks at the latest committed rows, whatever the
   * statement's snapshot). When the record exists already: `refuse` writes nothing; `reinstate`
   * clears its `revoked_on` if set. Returns whether a row was written and the instrument's due state
   * as locked (before any recomputation); undefined when there is no such instrument.
   */
  async lockAndWriteServiceRecord(
    tx: Tx,
    instrumentId: string,
    outcome: ServiceOutcome,
    write: RecordWrite,
  ): Promise<{ written: boolean; dueState: DueState } | undefined> {
    const onConflict =
      write.onDuplicate === 'refuse'
        ? 'DO NOTHING'
        : 'DO UPDATE SET revoked_on = NULL WHERE instrument_service_record.revoked_on IS NOT NULL';
    const [row] = (await tx.manager.query(
      `WITH locked AS (SELECT id, ${DUE_STATE_COLUMNS} FROM instrument WHERE id = $1 FOR UPDATE),
            written AS (
              INSERT INTO instrument_service_record (instrument_id, service, performed_on, result, certificate_number, origin, recorded_by)
              SELECT id, $2, $3::date, $4, $5, $6, $7 FROM locked
              ON CONFLICT (instrument_id, service, performed_on) ${onConflict}
              RETURNING id)
       SELECT next_due_date, last_verification_date, last_verification_passed,
              (SELECT count(*) FROM written)::int AS written FROM locked`,
      [
        instrumentId,
        outcome.service,
        outcome.date,
        outcome.passed === true ? 'pass' : outcome.passed === false ? 'fail' : null,
        outcome.certificateNumber ?? null,
        write.origin,
        write.recordedBy,
      ],
    )) as (DueStateRow & { written: number })[];
    return row && { written: row.written > 0, dueState: toDueState(row) };
  }

  /** Recomputes one instrument's last-service columns and next due date from its service history. */
  async refreshFromHistory(tx: Tx, instrumentId: string): Promise<void> {
    await tx.manager.query(
      `UPDATE instrument i SET
          last_service = l.service, last_service_date = l.performed_on, last_result = l.result, last_certificate_number = l.certificate_number,
          last_verification_date = v.performed_on, last_verification_passed = (v.result = 'pass'),
          last_verification_revoked_on = v.revoked_on,
          updated_at = now()
         FROM (SELECT $1::uuid AS id) me
         LEFT JOIN LATERAL (SELECT r.service, r.performed_on, r.result, r.certificate_number FROM instrument_service_record r
                             WHERE r.instrument_id = me.id ORDER BY r.performed_on DESC, r.created_at DESC LIMIT 1) l ON true
         LEFT JOIN LATERAL (SELECT r.performed_on, r.result, r.revoked_on FROM instrument_service_record r
                             WHERE r.instrument_id = me.id AND r.service = ANY($2::text[]) ORDER BY r.performed_on DESC, r.created_at DESC LIMIT 1) v ON true
        WHERE i.id = me.id`,
      [instrumentId, VERIFICATION_SERVICES],
    );
    await tx.manager.query(
      `UPDATE instrument i SET next_due_date = ${NEXT_DUE},
          last_calibration_date = (SELECT max(r.performed_on) FROM instrument_service_record r
                                    WHERE r.instrument_id = i.id AND r.service = 'calibration' AND r.revoked_on IS NULL)
        WHERE i.id = $1`,
      [instrumentId],
    );
    await this.refreshNextCalibration(tx, instrumentId);
  }

  /** Recomputes the next calibration date (after a calibration, or a new interval). */
  async refreshNextCalibration(tx: Tx, instrumentId: string): Promise<void> {
    await tx.manager.query(`UPDATE instrument i SET next_calibration_date = ${NEXT_CALIBRATION} WHERE i.id = $1`, [
      instrumentId,
    ]);
  }

  /**
   * After a cycle row is added for a type: instruments whose last verification falls on or after its
   * effective date may now come under it. Returns how many rows changed.
   */
  async recomputeNextDueForType(tx: Tx, instrumentTypeId: string, fromDate: string): Promise<number> {
    const result = (await tx.manager.query(
      `UPDATE instrument i SET next_due_date = ${NEXT_DUE}, updated_at = now()
        WHERE i.instrument_type_id = $1 AND i.last_verification_date >= $2 AND i.next_due_date IS DISTINCT FROM (${NEXT_DUE})`,
      [instrumentTypeId, fromDate],
    )) as [unknown[], number];
    return result[1];
  }

  /** The instrument's next due date and the verification it was computed from. */
  async dueState(tx: Tx, instrumentId: string): Promise<DueState> {
    const [row] = (await tx.manager.query(`SELECT ${DUE_STATE_COLUMNS} FROM instrument WHERE id = $1`, [
      instrumentId,
    ])) as DueStateRow[];
    return toDueState(row!);
  }

  /** The number on the record of (instrument, service, date), and on the instrument when that is its last service. */
  async attachCertificateNumber(
    tx: Tx,
    instrumentId: string,
    service: ServiceKind,
    date: string,
    certificateNumber: string,
  ): Promise<void> {
    await tx.manager.query(
      `WITH r AS (
         UPDATE instrument_service_record SET certificate_number = $4
          WHERE instrument_id = $1 AND service = $2 AND performed_on = $3::date
          RETURNING instrument_id)
       UPDATE instrument i SET last_certificate_number = $4
         FROM r WHERE i.id = r.instrument_id AND i.last_service = $2 AND i.last_service_date = $3::date`,
      [instrumentId, service, date, certificateNumber],
    );
  }

  /** Sets `revoked_on` on the record of (instrument, service, date); false when there is no such record. */
  async markRecordRevoked(
    tx: Tx,
    instrumentId: string,
    service: ServiceKind,
    date: string,
    revokedOn: string,
  ): Promise<boolean> {
    const updated = (await tx.manager.query(
      `UPDATE instrument_service_record SET revoked_on = $4::date
        WHERE instrument_id = $1 AND service = $2 AND performed_on = $3::date RETURNING id`,
      [instrumentId, service, date, revokedOn],
    )) as [unknown[], number];
    return updated[1] > 0;
  }

  async nextDueDate(tx: Tx, instrumentId: string): Promise<string | null> {
    const [row] = (await tx.manager.query(`SELECT next_due_date::text AS next_due_date FROM instrument WHERE id = $1`, [
      instrumentId,
    ])) as { next_due_date: string | null }[];
    return row!.next_due_date;
  }

  /** The owner's instruments among these ids; raw rows, not entities (10,000 of them on a large request). */
  registeredOf(tx: Tx, ownerId: string, ids: readonly string[]): Promise<RegisteredInstrument[]> {
    return tx.manager
      .getRepository(Instrument)
      .createQueryBuilder('i')
      .select([
        'i.id AS "id"',
        'i.instrument_type_id AS "instrumentTypeId"',
        'i.manufacturer AS "manufacturer"',
        'i.model AS "model"',
        'i.serial_number AS "serialNumber"',
        'i.status AS "status"',
      ])
      .where('i.owner_id = :ownerId AND i.id = ANY(:ids::uuid[])', { ownerId, ids })
      .getRawMany<RegisteredInstrument>();
  }

  /** The summaries of these instruments, by id (a missing id is absent from the map). */
  async summaries(ids: readonly string[]): Promise<Map<string, InstrumentSummary>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT i.id, i.serial_number, i.manufacturer, i.model, i.range_max, i.range_unit,
              t.id AS type_id, t.code AS type_code, t.name_vi AS type_name_vi, o.id AS owner_id, o.name AS owner_name
         FROM instrument i
         JOIN instrument_type t ON t.id = i.instrument_type_id
         JOIN organization o ON o.id = i.owner_id
        WHERE i.id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    )) as {
      id: string;
      serial_number: string;
      manufacturer: string;
      model: string | null;
      range_max: string | null;
      range_unit: string | null;
      type_id: string;
      type_code: string;
      type_name_vi: string;
      owner_id: string;
      owner_name: string;
    }[];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          serialNumber: r.serial_number,
          manufacturer: r.manufacturer,
          model: r.model,
          rangeMax: r.range_max,
          rangeUnit: r.range_unit,
          instrumentType: { id: r.type_id, code: r.type_code, nameVi: r.type_name_vi },
          owner: { id: r.owner_id, name: r.owner_name },
        },
      ]),
    );
  }

  /** A page of the instrument's service history (one more than the limit), newest first. */
  history(instrumentId: string, page: { limit: number; cursor?: string }): Promise<InstrumentServiceRecord[]> {
    const qb = this.db
      .getRepository(InstrumentServiceRecord)
      .createQueryBuilder('r')
      .where('r.instrument_id = :id', { id: instrumentId })
      .orderBy('r.performed_on', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(page.limit + 1);
    if (page.cursor) {
      const [date, rid] = decodeCursor(page.cursor, ['date', 'uuid']);
      qb.andWhere('(r.performed_on, r.id) < (:date, :rid)', { date, rid });
    }
    return qb.getMany();
  }

  /**
   * A page of the recall list (one more than the limit): instruments in service due on or before
   * `until`, by due date then id. Each filter has its own partial index ending in
   * (next_due_date, id), so a page is one index range scan however large the registry.
   */
  due(filter: DueFilter): Promise<DueRow[]> {
    // The calibration due list reads the next calibration date (its own partial index); the rest is the same.
    const due = filter.service === 'calibration' ? 'next_calibration_date' : 'next_due_date';
    const params: unknown[] = [filter.until, filter.asOf];
    const where = [`i.status = 'in_service'`, `i.${due} IS NOT NULL`, `i.${due} <= $1::date`];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.scope) add((p) => `i.owner_id = ${p}::uuid`, filter.scope);
    if (filter.owner) add((p) => `i.owner_id = ${p}::uuid`, filter.owner);
    if (filter.type) add((p) => `i.instrument_type_id = ${p}::uuid`, filter.type);
    if (filter.district) add((p) => `i.district = ${p}`, filter.district);
    if (filter.province) add((p) => `i.province_unit_id = ${p}::uuid`, filter.province);
    if (filter.commune) add((p) => `i.commune_unit_id = ${p}::uuid`, filter.commune);
    if (filter.cursor) {
      const [date, id] = decodeCursor(filter.cursor, ['date', 'uuid']);
      params.push(date, id);
      where.push(`(i.${due}, i.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    return this.db.query(
      `SELECT i.id, i.${due}::text AS next_due_date, (i.${due} - $2::date) AS days_until_due,
              i.owner_id, o.name AS owner_name, i.instrument_type_id, t.code AS type_code, t.name_vi AS type_name_vi, t.unit AS type_unit,
              i.manufacturer, i.model, i.serial_number, i.site_name, i.street_address, i.district,
              i.province_unit_id, pu.name AS province_name, i.commune_unit_id, cu.name AS commune_name,
              i.last_verification_date::text AS last_verification_date, i.last_certificate_number,
              i.last_verification_revoked_on::text AS last_verification_revoked_on,
              i.last_calibration_date::text AS last_calibration_date
         FROM (SELECT * FROM instrument i WHERE ${where.join(' AND ')} ORDER BY i.${due}, i.id LIMIT $${params.length}) i
         JOIN organization o ON o.id = i.owner_id
         JOIN instrument_type t ON t.id = i.instrument_type_id
         LEFT JOIN admin_unit pu ON pu.id = i.province_unit_id
         LEFT JOIN admin_unit cu ON cu.id = i.commune_unit_id
        ORDER BY i.${due}, i.id`,
      params,
    );
  }
}

/** The key registeredIdentities() returns for an identity. */
export function identityKey(instrumentTypeId: string, manufacturer: string, serialNumber: string): string {
  return JSON.stringify([instrumentTypeId, manufacturer, serialNumber]);
}
