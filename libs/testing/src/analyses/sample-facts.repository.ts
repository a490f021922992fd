import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestItem, ServiceRequest } from '#libs/requests';
import { TestSample } from '../samples/sample.entity.js';
import { todayInVietnam } from '../catalogue/catalogue.service.js';
import type { SampleFacts, SampleFactsReader } from './sample-facts.js';

type Loaded = TestSample & { item: RequestItem & { request: ServiceRequest } };

/** How the sample was taken, as the report prints it; null when the customer sent it. */
export function samplingText(s: TestSample): string | null {
  if (s.sampledBy === 'customer') return null;
  const who = s.sampledBy === 'inspector' ? 'Đoàn kiểm tra' : 'Trung tâm';
  return [
    `Lấy mẫu bởi ${who}: ${s.samplerName}`,
    s.samplingPlace ? `tại ${s.samplingPlace}` : null,
    s.sampledAt ? `ngày ${todayInVietnam(s.sampledAt).split('-').reverse().join('/')}` : null,
    s.samplingMethod ? `theo ${s.samplingMethod}` : null,
    s.sealNumbers.length ? `niêm phong số ${s.sealNumbers.join(', ')}` : null,
    s.inspectionReference ? `biên bản ${s.inspectionReference}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The sample's own description on the report: lot, quantity, packaging. */
function description(s: TestSample): string | null {
  const parts = [
    s.lot ? (/^lô\b/i.test(s.lot) ? s.lot : `Lô ${s.lot}`) : null,
    `${s.quantity.replace('.', ',')} ${s.quantityUnit}`,
    s.packaging,
    s.sampledBy === 'customer' && s.sealNumbers.length ? `niêm phong số ${s.sealNumbers.join(', ')}` : null,
  ];
  return parts.filter(Boolean).join('; ') || null;
}

/** The samples part of this library (`test_sample`, keyed by its request item) read as SampleFacts. */
@Injectable()
export class SampleFactsRepository implements SampleFactsReader {
  async forItem(m: EntityManager, requestItemId: string): Promise<SampleFacts | null> {
    const s = (await m.getRepository(TestSample).findOne({
      where: { requestItemId },
      relations: { item: { request: true } },
    })) as Loaded | null;
    if (!s) return null;
    return {
      requestItemId,
      requestId: s.item.requestId,
      organizationId: s.item.request.organizationId,
      itemStatus: s.item.status,
      code: s.item.labelId ?? `${s.item.request.number}/${s.item.ordinal}`,
      productId: s.productId,
      level: s.level,
      grade: s.grade,
      decisionRule: s.decisionRule,
      description: description(s),
      receivedOn: s.item.receivedAt ? todayInVietnam(s.item.receivedAt) : null,
      sampling: samplingText(s),
      heldFromOwner: s.inspectionReference !== null && s.resultsReleasedAt === null,
    };
  }
}
