import { Injectable } from '@nestjs/common';
import { isVerificationKind, sha256, verifyPdfSignature } from '#libs/documents';
import { CertificateSettings } from '../certificate-settings.js';
import { CertificateRepository, type PublicCertificateRow } from '../certificate.repository.js';
import type { PublicCertificateView, PublicStampView, PublicVerifyResult } from '../dto/certificate.dto.js';
import { canonicalCertificateNumber, canonicalStampSerial, vietnamDate } from '../numbering/numbering.js';
import { certificateStatus } from '../status.js';

export const CACHE_TTL_MS = 1000;
export const CACHE_MAX = 10_000;

/**
 * What an inspector in the field, or anyone holding a certificate, may check without logging in:
 * whether a number or a stamp is genuine and still valid, and whether a PDF is the file issued.
 */
@Injectable()
export class PublicCertificateService {
  constructor(
    private readonly repository: CertificateRepository,
    private readonly settings: CertificateSettings,
  ) {}

  /**
   * Found rows, for CACHE_TTL_MS: an inspector's phone, a crawler or a benchmark asking for one
   * number again and again costs one query per second. A revocation or amendment made by this
   * process clears the cache at once; one made by another API process shows within CACHE_TTL_MS.
   * Misses are not cached: a certificate the worker has just issued is found at once.
   */
  private readonly cache = new Map<string, { row: PublicCertificateRow; at: number }>();

  /** undefined when no certificate has this number (or the text is not a certificate number). */
  async byNumber(text: string): Promise<PublicCertificateView | undefined> {
    const number = canonicalCertificateNumber(text);
    if (!number) return undefined;
    const row = await this.row('number', number);
    return row ? toPublicView(row) : undefined;
  }

  async byStamp(text: string): Promise<PublicStampView | undefined> {
    const serial = canonicalStampSerial(text);
    if (!serial) return undefined;
    const row = await this.row('stamp', serial);
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

  private async row(by: 'number' | 'stamp', key: string): Promise<PublicCertificateRow | undefined> {
    const cacheKey = `${by}:${key}`;
    const hit = this.cache.get(cacheKey);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.row;
    const row = await this.repository.publicRow(by, key);
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
    const row = await this.repository.publicRow('sha256', digest);
    const check = verifyPdfSignature(pdf);
    let signedByLaboratory = false;
    if (check.certificateFingerprint) {
      signedByLaboratory =
        check.certificateFingerprint === this.settings.identity.fingerprint ||
        (await this.repository.signedWith(check.certificateFingerprint));
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
function toPublicView(row: PublicCertificateRow): PublicCertificateView {
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
