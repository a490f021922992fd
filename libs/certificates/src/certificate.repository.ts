import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, rankedMatches, type MatchMode, type RankedRow, type SearchTerms, type Tx } from '#libs/core';
import type { CertificateKind, ConformityDecision } from '#libs/documents';
import { Certificate } from './certificate.entity.js';
import type { CertificateQuery } from './dto/certificate.dto.js';
import { canonicalCertificateNumber, vietnamDate } from './numbering/numbering.js';
import { statusCondition } from './status.js';

/** What a public lookup reads of a certificate: nothing private. */
export interface PublicCertificateRow {
  number: string;
  kind: CertificateKind;
  issue_date: string;
  valid_until: string | null;
  outcome: ConformityDecision | null;
  item_type_name: string;
  item_serial: string;
  owner_name: string;
  laboratory_name: string;
  revoked_at: Date | null;
  revoked_on: string | null;
  superseded_by: string | null;
  replaces: string | null;
  stamp_serial: string | null;
  stamp_valid_until: string | null;
}

/** A verification stamp issued with a certificate (its validity and issue time are the certificate's). */
export interface StampToInsert {
  serial: string;
  year: number;
  sequence: number;
  instrumentId: string;
}

/** One statement for every public lookup: an index probe, two index joins, nothing private selected. */
const SELECT_PUBLIC = `
  SELECT c.number, c.kind, c.issue_date::text AS issue_date, c.valid_until::text AS valid_until, c.outcome,
         c.item_type_name, c.item_serial, c.owner_name, c.laboratory_name, c.revoked_at,
         (c.revoked_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS revoked_on,
         s.number AS superseded_by, r.number AS replaces,
         st.serial AS stamp_serial, st.valid_until::text AS stamp_valid_until
    FROM certificate c
    LEFT JOIN certificate s ON s.replaces_id = c.id
    LEFT JOIN certificate r ON r.id = c.replaces_id
    LEFT JOIN verification_stamp st ON st.certificate_id = c.id`;

/**
 * The raw SQL of the certificate aggregate (`certificate` and its `verification_stamp`): the issue
 * lock of a result revision, the insert of a certificate with its stamp, what was issued for revisions,
 * and the public lookups. Methods that run
 * inside a use case's transaction take `tx` first; reads outside one use the pool.
 */
@Injectable()
export class CertificateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A page of certificates (one more than the limit), newest issue first; `scope` is a business's organization. */
  list(query: CertificateQuery & { scope?: string }): Promise<Certificate[]> {
    const qb = this.db
      .getRepository(Certificate)
      .createQueryBuilder('c')
      .orderBy('c.issued_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(query.limit + 1);
    // The owner does not see what is withheld from it (an inspector's sample not released yet).
    if (query.scope) qb.andWhere('c.organization_id = :scope AND NOT c.withheld_from_owner', { scope: query.scope });
    if (query.organizationId) qb.andWhere('c.organization_id = :org', { org: query.organizationId });
    if (query.kind) qb.andWhere('c.kind = :kind', { kind: query.kind });
    if (query.instrumentId) qb.andWhere('c.instrument_id = :instrument', { instrument: query.instrumentId });
    if (query.resultRevisionId) qb.andWhere('c.result_revision_id = :rev', { rev: query.resultRevisionId });
    if (query.requestItemId) qb.andWhere('c.request_item_id = :item', { item: query.requestItemId });
    if (query.number) {
      // As typed: "kd-2026-1" reads as KĐ-2026-000001; anything else compares folded (case, diacritics, Đ → D).
      const number = canonicalCertificateNumber(query.number) ?? query.number;
      qb.andWhere('public.lims_fold(c.number) = public.lims_fold(:number)', { number });
    }
    if (query.issuedFrom) qb.andWhere('c.issue_date >= :from', { from: query.issuedFrom });
    if (query.issuedTo) qb.andWhere('c.issue_date <= :to', { to: query.issuedTo });
    if (query.status) qb.andWhere(statusCondition(query.status, ':today'), { today: vietnamDate(new Date()) });
    if (query.cursor) {
      const [issuedAt, id] = decodeCursor(query.cursor, ['timestamptz', 'uuid']);
      qb.andWhere('(c.issued_at, c.id) < (:cursorAt, :cursorId)', { cursorAt: issuedAt, cursorId: id });
    }
    return qb.getMany();
  }

  /** Certificates whose number matches, best first (core's rankedMatches). */
  search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    const select = `id, number AS label, kind AS detail`;
    return rankedMatches(
      this.db.manager,
      { table: 'certificate', column: 'number', select, identifier: true },
      terms,
      limit,
      mode,
    );
  }

  /** Which of these storage keys a certificate row points at. */
  async referencedKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { storage_key: string }[] = await this.db.query(
      'SELECT storage_key FROM certificate WHERE storage_key = ANY($1::text[])',
      [keys],
    );
    return new Set(rows.map((r) => r.storage_key));
  }

  /** Serialises everything that issues for one result revision, across processes, until commit. */
  async lockRevision(tx: Tx, resultRevisionId: string): Promise<void> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('certificate:' || $1, 0))`, [
      resultRevisionId,
    ]);
  }

  /**
   * Whether a document issued now from this draft is withheld from its owner: as the draft says,
   * unless the item was released meanwhile. Takes the item's release lock until commit, so a release
   * either sees this certificate or is seen by it (releaseToOwner takes the same lock).
   */
  async withheldAtIssue(
    tx: Tx,
    draft: { withheldFromOwner?: boolean; requestItemId: string | null },
  ): Promise<boolean> {
    if (!draft.withheldFromOwner || !draft.requestItemId) return false;
    await this.lockOwnerRelease(tx, draft.requestItemId);
    const released = (await tx.manager.query(`SELECT 1 FROM certificate_owner_release WHERE request_item_id = $1`, [
      draft.requestItemId,
    ])) as unknown[];
    return released.length === 0;
  }

  private async lockOwnerRelease(tx: Tx, requestItemId: string): Promise<void> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('certificate-release:' || $1, 0))`, [
      requestItemId,
    ]);
  }

  /**
   * Records the item as released and clears the flag of its withheld certificates, under the item's
   * release lock; returns those certificates, in issue order (none when the item was released already).
   */
  async releaseToOwner(tx: Tx, requestItemId: string): Promise<Certificate[]> {
    await this.lockOwnerRelease(tx, requestItemId);
    const inserted = (await tx.manager.query(
      `INSERT INTO certificate_owner_release (request_item_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING request_item_id`,
      [requestItemId],
    )) as unknown[];
    if (inserted.length === 0) return [];
    const [cleared] = (await tx.manager.query(
      `UPDATE certificate SET withheld_from_owner = false
        WHERE request_item_id = $1 AND withheld_from_owner RETURNING id`,
      [requestItemId],
    )) as [{ id: string }[], number];
    if (cleared.length === 0) return [];
    return tx.manager
      .getRepository(Certificate)
      .createQueryBuilder('c')
      .addSelect('c.model')
      .where('c.id = ANY(:ids::uuid[])', { ids: cleared.map((r) => r.id) })
      .orderBy('c.issued_at')
      .addOrderBy('c.number')
      .getMany();
  }

  /** Of these request items, those released to their owner. */
  async releasedItems(requestItemIds: string[]): Promise<Set<string>> {
    if (requestItemIds.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT request_item_id FROM certificate_owner_release WHERE request_item_id = ANY($1::uuid[])`,
      [requestItemIds],
    )) as { request_item_id: string }[];
    return new Set(rows.map((r) => r.request_item_id));
  }

  /**
   * The certificate row and, for a passed verification, its stamp: one statement (the stamp's insert
   * after a CTE inserting the certificate; its foreign key is checked at the end of the statement).
   */
  async insertWithStamp(tx: Tx, certificate: Certificate, stamp: StampToInsert | undefined): Promise<void> {
    const [insert, params] = tx.manager
      .createQueryBuilder()
      .insert()
      .into(Certificate)
      .values(certificate)
      .getQueryAndParameters();
    if (!stamp) {
      await tx.manager.query(insert, params);
      return;
    }
    const p = (i: number) => `$${params.length + i}`;
    await tx.manager.query(
      `WITH certificate AS (${insert})
       INSERT INTO verification_stamp (serial, year, sequence, certificate_id, instrument_id, valid_until, issued_at)
       VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::date, ${p(7)})`,
      [
        ...params,
        stamp.serial,
        stamp.year,
        stamp.sequence,
        certificate.id,
        stamp.instrumentId,
        certificate.validUntil,
        certificate.issuedAt,
      ],
    );
  }

  /** The number of a certificate issued for the revision, if any. */
  async numberIssuedFor(tx: Tx, resultRevisionId: string): Promise<string | undefined> {
    const [issued] = (await tx.manager.query(`SELECT number FROM certificate WHERE result_revision_id = $1 LIMIT 1`, [
      resultRevisionId,
    ])) as { number: string }[];
    return issued?.number;
  }

  /** Certificates issued from these result revisions (amendments included), not revoked, by number. */
  issuedFromRevisions(resultRevisionIds: readonly string[]): Promise<Certificate[]> {
    if (resultRevisionIds.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(Certificate)
      .createQueryBuilder('c')
      .where('c.result_revision_id = ANY(:ids::uuid[])', { ids: [...resultRevisionIds] })
      .andWhere('c.revoked_at IS NULL')
      .orderBy('c.number')
      .getMany();
  }

  async revisionsWithCertificate(resultRevisionIds: string[]): Promise<Set<string>> {
    if (resultRevisionIds.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT result_revision_id FROM certificate WHERE result_revision_id = ANY($1::uuid[])`,
      [resultRevisionIds],
    )) as { result_revision_id: string }[];
    return new Set(rows.map((r) => r.result_revision_id));
  }

  /** The public row of the certificate with this number, of this stamp serial, or of this file's SHA-256. */
  async publicRow(by: 'number' | 'stamp' | 'sha256', key: string): Promise<PublicCertificateRow | undefined> {
    const column = by === 'number' ? 'c.number' : by === 'stamp' ? 'st.serial' : 'c.sha256';
    const [row] = (await this.db.query(`${SELECT_PUBLIC} WHERE ${column} = $1`, [key])) as PublicCertificateRow[];
    return row;
  }

  /** Has a certificate ever been signed with the certificate of this fingerprint? */
  async signedWith(fingerprint: string): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM certificate WHERE signer_fingerprint = $1 LIMIT 1`, [
      fingerprint,
    ])) as unknown[];
    return rows.length > 0;
  }
}
