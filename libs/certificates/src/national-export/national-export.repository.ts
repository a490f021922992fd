import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CertificateKind, ConformityDecision } from '#libs/documents';
import type { ServiceKind } from '#libs/registry';

/** One certificate as the national export reads it (the certificate's own columns and printed model). */
export interface NationalExportRow {
  id: string;
  number: string;
  kind: CertificateKind;
  service: ServiceKind;
  outcome: ConformityDecision | null;
  issue_date: string;
  measurement_date: string;
  valid_until: string | null;
  item_type_name: string;
  item_manufacturer: string | null;
  item_model: string | null;
  item_serial: string;
  owner_name: string;
  customer_name: string;
  laboratory_name: string;
  laboratory_accreditation: string | null;
  verification_url: string;
  stamp_serial: string | null;
  replaces: string | null;
  superseded: boolean;
  revoked_at: Date | null;
  revocation_reason: string | null;
  sha256: string;
  issued_at: Date;
  changed_at: Date;
  /** The change instant in microseconds since the epoch, as text: the exact keyset value (a JS Date keeps ms). */
  changed_us: string;
}

export interface NationalExportFilter {
  issuedFrom?: string;
  issuedTo?: string;
  /** Keyset: after this (change instant in µs, id). */
  after?: [string, string];
  limit: number;
  /** Only changes older than this many seconds, so a transaction still committing cannot be passed over. */
  settleSeconds: number;
}

/**
 * The export's query on the certificate aggregate: certificates in the order they last changed
 * (issued, or revoked: `coalesce(revoked_at, issued_at)`, indexed with the id), by keyset.
 */
@Injectable()
export class NationalExportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  page(f: NationalExportFilter): Promise<NationalExportRow[]> {
    return this.db.query(
      `SELECT c.id, c.number, c.kind, c.service, c.outcome, c.issue_date::text AS issue_date,
              c.measurement_date::text AS measurement_date, c.valid_until::text AS valid_until,
              c.item_type_name, c.model->'item'->>'manufacturer' AS item_manufacturer,
              c.model->'item'->>'model' AS item_model, c.item_serial, c.owner_name,
              c.model->'customer'->>'name' AS customer_name, c.laboratory_name,
              c.model->'laboratory'->>'accreditation' AS laboratory_accreditation,
              c.model->>'verificationUrl' AS verification_url, st.serial AS stamp_serial, r.number AS replaces,
              EXISTS (SELECT 1 FROM certificate s WHERE s.replaces_id = c.id) AS superseded,
              c.revoked_at, c.revocation_reason, c.sha256, c.issued_at,
              coalesce(c.revoked_at, c.issued_at) AS changed_at,
              ((extract(epoch FROM coalesce(c.revoked_at, c.issued_at)) * 1000000)::bigint)::text AS changed_us
         FROM certificate c
         LEFT JOIN certificate r ON r.id = c.replaces_id
         LEFT JOIN verification_stamp st ON st.certificate_id = c.id
        WHERE coalesce(c.revoked_at, c.issued_at) < now() - make_interval(secs => $1)
          AND ($2::date IS NULL OR c.issue_date >= $2::date)
          AND ($3::date IS NULL OR c.issue_date <= $3::date)
          AND ($4::bigint IS NULL OR (coalesce(c.revoked_at, c.issued_at), c.id) >
               ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::uuid))
        ORDER BY coalesce(c.revoked_at, c.issued_at), c.id
        LIMIT $6`,
      [
        f.settleSeconds,
        f.issuedFrom ?? null,
        f.issuedTo ?? null,
        f.after?.[0] ?? null,
        f.after?.[1] ?? null,
        f.limit + 1,
      ],
    ) as Promise<NationalExportRow[]>;
  }
}
