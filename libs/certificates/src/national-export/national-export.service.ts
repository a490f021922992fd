import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, ENV, type Env } from '#libs/core';
import { standingOf } from '../status.js';
import type { NationalExportQuery } from './national-export.dto.js';
import { NationalExportRepository, type NationalExportRow } from './national-export.repository.js';

/** The schema every line names; a change that breaks a reader is a new version (a new schema file). */
export const NATIONAL_EXPORT_SCHEMA = 'https://tdc-lims.example/schemas/national-export.v1.schema.json';

/** One line of the export (contract/national-export.v1.schema.json). */
export interface NationalExportLine {
  $schema: typeof NATIONAL_EXPORT_SCHEMA;
  id: string;
  number: string;
  kind: NationalExportRow['kind'];
  service: NationalExportRow['service'];
  standing: 'current' | 'revoked' | 'superseded';
  outcome: NationalExportRow['outcome'];
  issueDate: string;
  measurementDate: string;
  validUntil: string | null;
  item: { typeName: string; manufacturer: string | null; model: string | null; serial: string };
  owner: { name: string };
  customer: { name: string };
  laboratory: { name: string; accreditation: string | null };
  stampSerial: string | null;
  replaces: string | null;
  revocation: { at: string; reason: string } | null;
  sha256: string;
  verificationUrl: string;
  issuedAt: string;
  changedAt: string;
}

export interface NationalExportPage {
  lines: NationalExportLine[];
  /** Where the next pull starts: the last line's change, or the cursor given when nothing is new. */
  nextCursor: string | null;
  /** More lines are ready now. */
  more: boolean;
}

export function toNationalExportLine(r: NationalExportRow): NationalExportLine {
  return {
    $schema: NATIONAL_EXPORT_SCHEMA,
    id: r.id,
    number: r.number,
    kind: r.kind,
    service: r.service,
    standing: standingOf({ revokedAt: r.revoked_at, superseded: r.superseded }),
    outcome: r.outcome,
    issueDate: r.issue_date,
    measurementDate: r.measurement_date,
    validUntil: r.valid_until,
    item: { typeName: r.item_type_name, manufacturer: r.item_manufacturer, model: r.item_model, serial: r.item_serial },
    owner: { name: r.owner_name },
    customer: { name: r.customer_name },
    laboratory: { name: r.laboratory_name, accreditation: r.laboratory_accreditation },
    stampSerial: r.stamp_serial,
    replaces: r.replaces,
    revocation: r.revoked_at ? { at: r.revoked_at.toISOString(), reason: r.revocation_reason ?? '' } : null,
    sha256: r.sha256,
    verificationUrl: r.verification_url,
    issuedAt: r.issued_at.toISOString(),
    changedAt: r.changed_at.toISOString(),
  };
}

/**
 * The read-only export of issued certificates and verification results for national systems: one
 * JSON line per certificate, in the order certificates last changed (issue, then revocation), pulled
 * by a keyset cursor so another system can mirror the register (a revoked certificate comes again).
 */
@Injectable()
export class NationalExport {
  constructor(
    private readonly repository: NationalExportRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async page(query: NationalExportQuery): Promise<NationalExportPage> {
    const after = query.cursor ? decodeCursor(query.cursor, ['bigint', 'uuid'] as const) : undefined;
    const rows = await this.repository.page({
      issuedFrom: query.issuedFrom,
      issuedTo: query.issuedTo,
      after: after ? [after[0], after[1]] : undefined,
      limit: query.limit,
      settleSeconds: this.env.NATIONAL_EXPORT_SETTLE_SECONDS,
    });
    const more = rows.length > query.limit;
    const shown = rows.slice(0, query.limit);
    const last = shown.at(-1);
    return {
      lines: shown.map(toNationalExportLine),
      nextCursor: last ? encodeCursor([last.changed_us, last.id]) : (query.cursor ?? null),
      more,
    };
  }
}
