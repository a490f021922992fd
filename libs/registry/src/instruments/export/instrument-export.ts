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
import { DueQuery, InstrumentQuery, type DueItemView, type InstrumentView } from '../dto/instrument.dto.js';
import { InstrumentService } from '../instrument.service.js';

/** Rows per keyset page read while exporting: one page is what sits in memory. */
export const EXPORT_PAGE = 1000;

export class InstrumentExportQuery extends IntersectionType(
  OmitType(InstrumentQuery, ['limit', 'cursor'] as const),
  SpreadsheetFormatQuery,
) {}

export class DueExportQuery extends IntersectionType(
  OmitType(DueQuery, ['limit', 'cursor'] as const),
  SpreadsheetFormatQuery,
) {}

/** The import's columns first (an export edited can be imported again), then what only the registry knows. */
const INSTRUMENT_COLUMNS: SpreadsheetColumn<InstrumentView>[] = [
  { header: 'typeCode', value: (i) => i.instrumentType.code },
  { header: 'manufacturer', value: (i) => i.manufacturer },
  { header: 'model', value: (i) => i.model },
  { header: 'serialNumber', value: (i) => i.serialNumber },
  { header: 'accuracyClass', value: (i) => i.accuracyClass },
  { header: 'rangeMin', value: (i) => i.rangeMin },
  { header: 'rangeMax', value: (i) => i.rangeMax },
  { header: 'rangeUnit', value: (i) => i.rangeUnit },
  { header: 'resolution', value: (i) => i.resolution },
  { header: 'resolutionUnit', value: (i) => i.resolutionUnit },
  { header: 'scaleInterval', value: (i) => i.scaleInterval },
  { header: 'siteName', value: (i) => i.placeOfUse.siteName },
  { header: 'streetAddress', value: (i) => i.placeOfUse.streetAddress },
  { header: 'province', value: (i) => i.placeOfUse.province },
  { header: 'district', value: (i) => i.placeOfUse.district },
  { header: 'ward', value: (i) => i.placeOfUse.ward },
  { header: 'status', value: (i) => i.status },
  { header: 'id', value: (i) => i.id, width: 38 },
  { header: 'owner', value: (i) => i.owner.name, width: 30 },
  { header: 'labelCode', value: (i) => i.labelCode },
  { header: 'lastServiceDate', value: (i) => i.lastService?.date },
  { header: 'nextDueDate', value: (i) => i.nextDueDate },
];

const DUE_COLUMNS: SpreadsheetColumn<DueItemView>[] = [
  { header: 'Hạn kiểm định (nextDueDate)', value: (d) => d.nextDueDate },
  { header: 'Còn (ngày) (daysUntilDue)', value: (d) => d.daysUntilDue },
  { header: 'Quá hạn (overdue)', value: (d) => (d.overdue ? 'x' : '') },
  { header: 'Chủ sở hữu (owner)', value: (d) => d.owner.name, width: 30 },
  { header: 'Mã loại (typeCode)', value: (d) => d.instrumentType.code },
  { header: 'Loại phương tiện đo (type)', value: (d) => d.instrumentType.nameVi, width: 30 },
  { header: 'Hãng (manufacturer)', value: (d) => d.manufacturer },
  { header: 'Kiểu (model)', value: (d) => d.model },
  { header: 'Số (serialNumber)', value: (d) => d.serialNumber },
  { header: 'Nơi sử dụng (siteName)', value: (d) => d.siteName, width: 30 },
  { header: 'Địa chỉ (streetAddress)', value: (d) => d.streetAddress, width: 30 },
  { header: 'Quận/huyện (district)', value: (d) => d.district },
  { header: 'Kiểm định gần nhất (lastVerificationDate)', value: (d) => d.lastVerificationDate },
  { header: 'Số GCN (lastCertificateNumber)', value: (d) => d.lastCertificateNumber },
  { header: 'Thu hồi (verificationRevokedOn)', value: (d) => d.verificationRevokedOn },
];

/**
 * The instruments and the due list as XLSX or CSV, streamed a keyset page at a time through the
 * same list use cases the API pages (so the same filters and the same business scope apply).
 */
@Injectable()
export class InstrumentExport {
  constructor(private readonly instruments: InstrumentService) {}

  instrumentsTo(target: SpreadsheetTarget, query: InstrumentExportQuery, principal: Principal): Promise<number> {
    const { format, ...filter } = query;
    const pages = allPagesOf((cursor) => this.instruments.list({ ...filter, limit: EXPORT_PAGE, cursor }, principal));
    return streamSpreadsheet(target, format, 'instruments', INSTRUMENT_COLUMNS, pages);
  }

  dueTo(target: SpreadsheetTarget, query: DueExportQuery, principal: Principal): Promise<number> {
    const { format, ...filter } = query;
    const pages = allPagesOf((cursor) => this.instruments.due({ ...filter, limit: EXPORT_PAGE, cursor }, principal));
    return streamSpreadsheet(target, format, 'due-list', DUE_COLUMNS, pages);
  }
}
