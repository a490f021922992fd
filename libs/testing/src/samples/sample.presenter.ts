import type { HistoryEntryView } from '#libs/requests';
import type { CustodyChainView, CustodyEventView, PortionView, SampleView } from '../dto/sample.dto.js';
import { allowedCustodySteps, type CustodyFold } from './custody.js';
import { ownerMayReadResults } from './release.js';
import type { TestSample, TestSampleCustodyEvent, TestSamplePortion } from './sample.entity.js';

/** What a sample's view shows of its request item. */
export interface SampleItem {
  id: string;
  requestId: string;
  ordinal: number;
  status: SampleView['status'];
  labelId: string | null;
  conditionOnReceipt: string | null;
  receivedAt: Date | null;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toSampleView(item: SampleItem, s: TestSample): SampleView {
  return {
    itemId: item.id,
    requestId: item.requestId,
    ordinal: item.ordinal,
    code: item.labelId,
    status: item.status,
    product: {
      id: s.productId,
      code: s.product?.code ?? '',
      nameVi: s.product?.nameVi ?? '',
      nameEn: s.product?.nameEn ?? '',
    },
    level: s.level,
    grade: s.grade,
    lot: s.lot,
    quantity: Number(s.quantity),
    quantityUnit: s.quantityUnit,
    packaging: s.packaging,
    sampling: {
      by: s.sampledBy,
      samplerName: s.samplerName,
      place: s.samplingPlace,
      sampledAt: iso(s.sampledAt),
      method: s.samplingMethod,
      sealNumbers: s.sealNumbers,
    },
    storage: s.storage,
    retainUntil: s.retainUntil,
    decisionRule: s.decisionRule,
    inspection: s.inspectionReference ? { reference: s.inspectionReference, authority: s.inspectionAuthority } : null,
    results: { ownerMayRead: ownerMayReadResults(s), releasedAt: iso(s.resultsReleasedAt) },
    conditionOnReceipt: item.conditionOnReceipt,
    receivedAt: iso(item.receivedAt),
    notes: s.notes,
    createdAt: s.createdAt.toISOString(),
  };
}

function toEventView(e: TestSampleCustodyEvent, codes: Map<string, string>): CustodyEventView {
  return {
    kind: e.kind,
    portionId: e.portionId,
    portionCode: e.portionId ? (codes.get(e.portionId) ?? null) : null,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
    handledBy: e.handledBy,
    subcontractor: e.subcontractor,
    location: e.location,
    notes: e.notes,
  };
}

/** The receipt, as the request item's `received` move recorded it: the chain's first step. */
function receiptView(h: HistoryEntryView): CustodyEventView {
  const condition = h.details?.['conditionOnReceipt'];
  return {
    kind: 'received',
    portionId: null,
    portionCode: null,
    occurredAt: h.occurredAt,
    recordedAt: h.occurredAt,
    actor: h.actor,
    handledBy: null,
    subcontractor: null,
    location: null,
    notes: typeof condition === 'string' ? `condition on receipt: ${condition}` : null,
  };
}

/**
 * The chain: the receipt, then every recorded step (oldest first); each portion with its own steps
 * (from the split that made it) and its state.
 */
export function toChainView(
  item: SampleItem,
  receipt: HistoryEntryView | undefined,
  events: TestSampleCustodyEvent[],
  portions: TestSamplePortion[],
  fold: CustodyFold,
): CustodyChainView {
  const codes = new Map(portions.map((p) => [p.id, p.code]));
  const all = [...(receipt ? [receiptView(receipt)] : []), ...events.map((e) => toEventView(e, codes))];
  const portionViews: PortionView[] = portions.map((p) => {
    const state = fold.portions.get(p.id) ?? 'held';
    const made = (e: TestSampleCustodyEvent): boolean =>
      e.kind === 'split' && ((e.details?.['portionIds'] as string[] | undefined) ?? []).includes(p.id);
    return {
      id: p.id,
      code: p.code,
      suffix: p.suffix,
      quantity: p.quantity === null ? null : Number(p.quantity),
      quantityUnit: p.quantityUnit,
      purpose: p.purpose,
      state,
      allowedSteps: allowedCustodySteps(state, 'portion'),
      events: events.filter((e) => e.portionId === p.id || made(e)).map((e) => toEventView(e, codes)),
    };
  });
  return {
    itemId: item.id,
    code: item.labelId,
    state: fold.sample,
    allowedSteps: allowedCustodySteps(fold.sample, 'sample'),
    events: all,
    portions: portionViews,
  };
}

/** A sample's label text (printed by requests' label sheet): the product with its grade, then level and lot. */
export function sampleLabelText(s: TestSample): { title: string; lines: string[] } {
  const title = [s.product?.nameVi ?? 'Mẫu thử', s.grade].filter(Boolean).join(' ');
  const line = [s.level ? `Mức ${s.level}` : null, s.lot ? (/^lô[\s:]/iu.test(s.lot) ? s.lot : `Lô ${s.lot}`) : null]
    .filter(Boolean)
    .join(' · ');
  return { title, lines: line ? [line] : [] };
}
