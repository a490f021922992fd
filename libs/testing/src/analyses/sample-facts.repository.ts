import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestItem } from '#libs/requests';
import { TestSample } from '../samples/sample.entity.js';
import { todayInVietnam } from '../catalogue/catalogue.service.js';
import type { SampleFacts, SampleFactsReader } from './sample-facts.js';

/** A row of requests' published `requests_item_card_v`. */
interface ItemCard {
  request_id: string;
  request_number: string;
  organization_id: string;
  ordinal: number;
  status: RequestItem['status'];
  label_id: string | null;
  received_at: Date | null;
}

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
    const s = await m.getRepository(TestSample).findOneBy({ requestItemId });
    if (!s) return null;
    // The item and its request from requests' published view (no join on its tables from here).
    const [item] = (await m.query(
      `SELECT request_id, request_number, organization_id, ordinal, status, label_id, received_at
         FROM requests_item_card_v WHERE item_id = $1`,
      [requestItemId],
    )) as ItemCard[];
    if (!item) return null;
    return {
      requestItemId,
      requestId: item.request_id,
      organizationId: item.organization_id,
      itemStatus: item.status,
      code: item.label_id ?? `${item.request_number}/${item.ordinal}`,
      productId: s.productId,
      level: s.level,
      grade: s.grade,
      decisionRule: s.decisionRule,
      description: description(s),
      receivedOn: item.received_at ? todayInVietnam(item.received_at) : null,
      sampling: samplingText(s),
      heldFromOwner: s.inspectionReference !== null && s.resultsReleasedAt === null,
    };
  }
}
