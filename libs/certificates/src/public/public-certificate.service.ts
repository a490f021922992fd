import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  isVerificationKind,
  sha256,
  verifyPdfSignature,
  type CertificateKind,
  type ConformityDecision,
} from '#libs/documents';
import { CertificateSettings } from '../certificate-settings.js';
import type { PublicCertificateView, PublicStampView, PublicVerifyResult } from '../dto/certificate.dto.js';
import { canonicalCertificateNumber, canonicalStampSerial, vietnamDate } from '../numbering/numbering.js';
import { certificateStatus } from '../status.js';

interface PublicRow {
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

export const CACHE_TTL_MS = 1000;
export const CACHE_MAX = 10_000;

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
 * What an inspector in the field, or anyone holding a certificate, may check without logging in:
 * whether a number or a stamp is genuine and still valid, and whether a PDF is the file issued.
 */
@Injectable()
export class PublicCertificateService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: CertificateSettings,
  ) {}

  /**
   * Found rows, for CACHE_TTL_MS: an inspector's phone, a crawler or a benchmark asking for one
   * number again and again costs one query per second. A revocation or amendment made by this
   * process clears the cache at once; one made by another API process shows within CACHE_TTL_MS.
   * Misses are not cached: a certificate the worker has just issued is found at once.
   */
  private readonly cache = new Map<string, { row: PublicRow; at: number }>();

  /** undefined when no certificate has this number (or the text is not a certificate number). */
  async byNumber(text: string): Promise<PublicCertificateView | undefined> {
    const number = canonicalCertificateNumber(text);
    if (!number) return undefined;
    const row = await this.row('c.number', number);
    return row ? toPublicView(row) : undefined;
  }

  async byStamp(text: string): Promise<PublicStampView | undefined> {
    const serial = canonicalStampSerial(text);
    if (!serial) return undefined;
    const row = await this.row('st.serial', serial);
    if (!row) return undefined;
    const certificate = toPublicView(row);
    return {
      serial,
      status: certificate.status,
      validUntil: row.stamp_valid_until!,
      voidFrom: certificate.status === 'revoked' ? row.revoked_on : null,
      certificate,
    };
  }

  private readonly forgetters: (() => void)[] = [];

  /** After a revocation or amendment: the next lookups read the database. */
  forget(): void {
    this.cache.clear();
    for (const f of this.forgetters) f();
  }

  /** `f` runs whenever the cache is cleared (the fast path keeps answers of its own). */
  onForget(f: () => void): void {
    this.forgetters.push(f);
  }

  private async row(column: 'c.number' | 'st.serial', key: string): Promise<PublicRow | undefined> {
    const cacheKey = `${column}:${key}`;
    const hit = this.cache.get(cacheKey);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.row;
    const [row] = (await this.db.query(`${SELECT_PUBLIC} WHERE ${column} = $1`, [key])) as PublicRow[];
    this.cache.delete(cacheKey);
    if (row) {
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(cacheKey, { row, at: now });
    }
    return row;
  }

  /** Is this exactly a file that was issued (SHA-256 on record), and is its signature intact? */
  async verifyFile(pdf: Buffer): Promise<PublicVerifyResult> {
    const digest = sha256(pdf);
    const [row] = (await this.db.query(`${SELECT_PUBLIC} WHERE c.sha256 = $1`, [digest])) as PublicRow[];
    const check = verifyPdfSignature(pdf);
    let signedByLaboratory = false;
    if (check.certificateFingerprint) {
      signedByLaboratory =
        check.certificateFingerprint === this.settings.identity.fingerprint ||
        (
          (await this.db.query(`SELECT 1 FROM certificate WHERE signer_fingerprint = $1 LIMIT 1`, [
            check.certificateFingerprint,
          ])) as unknown[]
        ).length > 0;
    }
    return {
      exact: row !== undefined,
      certificate: row ? toPublicView(row) : null,
      signature: {
        signed: check.signed,
        intact: check.intact,
        signedByLaboratory: check.intact && signedByLaboratory,
        signerName: check.signerName ?? null,
        signedAt: check.signedAt?.toISOString() ?? null,
        problem: check.problem ?? null,
      },
    };
  }
}

/**
 * A revoked or superseded document no longer states anything current: its validity and
 * conclusion move to `asIssued`, so that no reader (or client that only reads `conformity`) takes
 * an old "ĐẠT" for a current one.
 */
function toPublicView(row: PublicRow): PublicCertificateView {
  const status = certificateStatus(
    { kind: row.kind, revokedAt: row.revoked_at, superseded: row.superseded_by !== null, validUntil: row.valid_until },
    vietnamDate(new Date()),
  );
  const stated = { validUntil: row.valid_until, conformity: isVerificationKind(row.kind) ? row.outcome : null };
  const withdrawn = status === 'revoked' || status === 'superseded';
  return {
    number: row.number,
    kind: row.kind,
    status,
    issueDate: row.issue_date,
    validUntil: withdrawn ? null : stated.validUntil,
    conformity: withdrawn ? null : stated.conformity,
    asIssued: withdrawn ? stated : null,
    instrument: { type: row.item_type_name, serial: row.item_serial },
    owner: row.owner_name,
    laboratory: row.laboratory_name,
    stampSerial: row.stamp_serial,
    replaces: row.replaces,
    supersededBy: row.superseded_by,
    revokedOn: row.revoked_on,
  };
}
