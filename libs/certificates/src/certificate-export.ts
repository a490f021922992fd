import { Injectable } from '@nestjs/common';
import { IntersectionType, OmitType } from '@nestjs/swagger';
import {
  allPagesOf,
  SpreadsheetFormatQuery,
  streamSpreadsheet,
  type Principal,
  type SpreadsheetColumn,
  type SpreadsheetTarget,
} from '#libs/core';
import { CertificateService } from './certificate.service.js';
import { CertificateQuery, type CertificateView } from './dto/certificate.dto.js';

/** The filters of GET /certificates (issuedFrom/issuedTo give the period), without paging, and the format. */
export class CertificateExportQuery extends IntersectionType(
  OmitType(CertificateQuery, ['limit', 'cursor'] as const),
  SpreadsheetFormatQuery,
) {}

const COLUMNS: SpreadsheetColumn<CertificateView>[] = [
  { header: 'Số GCN (number)', value: (c) => c.number },
  { header: 'Loại (kind)', value: (c) => c.kind },
  { header: 'Dịch vụ (service)', value: (c) => c.service },
  { header: 'Ngày cấp (issueDate)', value: (c) => c.issueDate },
  { header: 'Ngày đo (measurementDate)', value: (c) => c.measurementDate },
  { header: 'Hiệu lực đến (validUntil)', value: (c) => c.validUntil },
  { header: 'Kết luận (outcome)', value: (c) => c.outcome },
  { header: 'Tình trạng (status)', value: (c) => c.status },
  { header: 'Chủ sở hữu (ownerName)', value: (c) => c.ownerName, width: 30 },
  { header: 'Phương tiện (item)', value: (c) => c.item.typeName, width: 30 },
  { header: 'Số (serial)', value: (c) => c.item.serial },
  { header: 'Tem (stamp)', value: (c) => c.stamp?.serial },
  { header: 'Thay thế (replaces)', value: (c) => c.replaces?.number },
  { header: 'Thu hồi (revokedAt)', value: (c) => c.revocation?.revokedAt },
];

/** Certificates issued in a period as XLSX or CSV, streamed page by page through the list use case. */
@Injectable()
export class CertificateExport {
  constructor(private readonly certificates: CertificateService) {}

  to(target: SpreadsheetTarget, query: CertificateExportQuery, principal: Principal): Promise<number> {
    const { format, ...filter } = query;
    const pages = allPagesOf((cursor) => this.certificates.list({ ...filter, limit: 1000, cursor }, principal));
    return streamSpreadsheet(target, format, 'certificates', COLUMNS, pages);
  }
}
