import { Injectable } from '@nestjs/common';
import { ConflictError, type Principal } from '#libs/core';
import { renderLabelSheet, type LabelSheetEntry } from '#libs/documents';
import { InstrumentService, type InstrumentSummary } from '#libs/registry';
import type { RequestItem, ServiceRequest } from './request.entities.js';
import { RequestRepository } from './request.repository.js';
import { RequestService } from './request.service.js';

/** A PDF file to download: its bytes and the name to save it under. */
export interface LabelSheetFile {
  bytes: Buffer;
  fileName: string;
}

/** What a sample's label shows besides its code: the title and lines of LabelSheetEntry. */
export type SampleLabelText = Pick<LabelSheetEntry, 'title' | 'lines'>;

/**
 * Where sample labels get their text (product, level and grade, lot): the testing library registers
 * one at start-up (`RequestLabelsService.describeSamplesWith`), so this library prints samples without
 * importing testing. Without one, a sample's label says "Mẫu thử" and the request.
 */
export type SampleLabelSource = (itemIds: readonly string[]) => Promise<Map<string, SampleLabelText>>;

function sampleLabelOf(request: ServiceRequest, item: RequestItem, text: SampleLabelText | undefined): LabelSheetEntry {
  return {
    code: item.labelId!,
    title: text?.title ?? 'Mẫu thử — Test sample',
    lines: [...(text?.lines ?? []), `${request.number} · ${request.organization?.name ?? ''}`].slice(-2),
  };
}

function labelOf(
  request: ServiceRequest,
  item: RequestItem,
  instrument: InstrumentSummary | undefined,
): LabelSheetEntry {
  const what = instrument
    ? `${instrument.instrumentType.nameVi} — ${[instrument.manufacturer, instrument.model].filter(Boolean).join(' ')}`
    : (item.instrumentTypeId ?? '');
  return {
    code: item.labelId!,
    title: what,
    lines: [
      `Số sản xuất: ${instrument?.serialNumber ?? '—'}`,
      `${request.number} · ${request.organization?.name ?? instrument?.owner.name ?? ''}`,
    ],
  };
}

/** The labels (tem nhãn) of a request's received instruments, as an A4 sheet to print and stick on. */
@Injectable()
export class RequestLabelsService {
  constructor(
    private readonly requests: RequestService,
    private readonly repository: RequestRepository,
    private readonly instruments: InstrumentService,
  ) {}

  private samples?: SampleLabelSource;

  /** The testing library's describer of sample labels (one; a second registration replaces it). */
  describeSamplesWith(source: SampleLabelSource): void {
    this.samples = source;
  }

  /** Every labelled item of the request (or only `itemIds`), by ordinal; 409 when none has a label yet. */
  async sheet(id: string, principal: Principal, itemIds?: readonly string[]): Promise<LabelSheetFile> {
    const request = await this.requests.find(id, principal);
    const items = await this.repository.labelled(id, itemIds);
    if (items.length === 0) {
      throw new ConflictError(
        'request.no_labels',
        itemIds
          ? 'None of these items of the request has a label: receive them first.'
          : 'No item of this request has a label yet: receive the instruments first.',
      );
    }
    const instrumentIds = items.flatMap((i) => (i.instrumentId === null ? [] : [i.instrumentId]));
    const instruments = await this.instruments.summaries(instrumentIds);
    const sampleIds = items.flatMap((i) => (i.subjectKind === 'sample' ? [i.id] : []));
    const samples =
      sampleIds.length && this.samples ? await this.samples(sampleIds) : new Map<string, SampleLabelText>();
    const labels = items.map((item) =>
      item.instrumentId === null
        ? sampleLabelOf(request, item, samples.get(item.id))
        : labelOf(request, item, instruments.get(item.instrumentId)),
    );
    const bytes = await renderLabelSheet(labels, { title: `Tem nhãn ${request.number} — Labels ${request.number}` });
    return { bytes, fileName: `labels-${request.number}.pdf` };
  }
}
