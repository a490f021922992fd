import { Injectable } from '@nestjs/common';
import { InvalidInputError, toPage } from '#libs/core';
import { InstrumentService, StandardService, type InstrumentSummary } from '#libs/registry';
import { RequestService } from '#libs/requests';
import {
  CalibrationResultRepository,
  type RevisionUseRow,
  type StandardUseRow,
} from '../results/calibration-result.repository.js';
import type { AffectedPage, AffectedQuery, AffectedResultView } from './dto/affected.dto.js';

/**
 * Reverse traceability: the day a standard is found out of tolerance, every result (with its request
 * item, instrument and customer) that used it in a period. One row per result; the revisions that
 * used it are listed, and the approved ones are what certificates were issued from.
 */
@Injectable()
export class TraceabilityService {
  constructor(
    private readonly results: CalibrationResultRepository,
    private readonly standards: StandardService,
    private readonly instruments: InstrumentService,
    private readonly requests: RequestService,
  ) {}

  async affected(standardId: string, query: AffectedQuery): Promise<AffectedPage> {
    await this.standards.find(standardId);
    if (query.from && query.to && query.from > query.to) {
      throw new InvalidInputError([{ field: 'to', message: 'to must not be before from' }]);
    }
    const period = { from: query.from ?? '0001-01-01', to: query.to ?? '9999-12-31' };
    const page = toPage(
      await this.results.standardUses(standardId, period, query),
      query.limit,
      (r) => [r.first_used, r.result_id],
      (r) => r,
    );
    const [revisions, instruments, requestIds] = await Promise.all([
      this.results.revisionsUsing(
        standardId,
        period,
        page.items.map((r) => r.result_id),
      ),
      this.instruments.summaries(page.items.map((r) => r.instrument_id)),
      this.requests.requestIdsOfItems(page.items.map((r) => r.request_item_id)),
    ]);
    const items = page.items.map((r) =>
      toAffected(r, instruments.get(r.instrument_id), requestIds.get(r.request_item_id) ?? '', revisions),
    );
    return { standardId, from: query.from ?? null, to: query.to ?? null, items, nextCursor: page.nextCursor };
  }
}

function toAffected(
  r: StandardUseRow,
  instrument: InstrumentSummary | undefined,
  requestId: string,
  revisions: RevisionUseRow[],
): AffectedResultView {
  const own = revisions.filter((v) => v.result_id === r.result_id);
  return {
    resultId: r.result_id,
    requestItemId: r.request_item_id,
    requestId,
    service: r.service,
    status: r.status,
    firstUsedOn: r.first_used,
    instrument: {
      id: r.instrument_id,
      serialNumber: instrument?.serialNumber ?? '',
      manufacturer: instrument?.manufacturer ?? '',
      model: instrument?.model ?? null,
      typeId: instrument?.instrumentType.id ?? '',
      typeCode: instrument?.instrumentType.code ?? '',
      typeName: instrument?.instrumentType.nameVi ?? '',
    },
    customer: { id: instrument?.owner.id ?? '', name: instrument?.owner.name ?? '' },
    revisions: own.map((v) => ({ id: v.id, revision: v.revision, measuredOn: v.measured_on, status: v.status })),
    approvedRevisionIds: own.filter((v) => v.status === 'approved').map((v) => v.id),
  };
}
