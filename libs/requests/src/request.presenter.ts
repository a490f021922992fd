import type { InstrumentSummary } from '#libs/registry';
import type { HistoryEntryView, RequestItemView, RequestSummaryView, WorkItemView } from './dto/request.dto.js';
import type { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { allowedItemTransitions, type ItemStatus } from './workflow.js';

/**
 * How the requests library answers: pure mappers from its rows to the API's views. What a view shows
 * of an instrument (type code, manufacturer, model, serial) and of an organization (name) comes from
 * the registry (InstrumentService.summaries, OrganizationService.names), attached by withInstruments().
 */

/** Items with what their views show of the instrument and its type (from the registry's summaries). */
export function withInstruments(items: RequestItem[], instruments: Map<string, InstrumentSummary>): RequestItem[] {
  for (const i of items) {
    const s = i.instrumentId === null ? undefined : instruments.get(i.instrumentId);
    if (!s) continue;
    Object.assign(i, {
      instrument: { id: s.id, manufacturer: s.manufacturer, model: s.model, serialNumber: s.serialNumber },
      instrumentType: { id: s.instrumentType.id, code: s.instrumentType.code },
    });
  }
  return items;
}

/** Requests with their organization's name (from the registry). */
export function withOrganizations(requests: ServiceRequest[], names: Map<string, string>): ServiceRequest[] {
  for (const r of requests)
    Object.assign(r, { organization: { id: r.organizationId, name: names.get(r.organizationId) ?? '' } });
  return requests;
}

export function toItemView(i: RequestItem): RequestItemView {
  return {
    id: i.id,
    requestId: i.requestId,
    ordinal: i.ordinal,
    subjectKind: i.subjectKind,
    instrument:
      i.instrumentId === null || i.instrumentTypeId === null
        ? null
        : {
            id: i.instrumentId,
            instrumentTypeId: i.instrumentTypeId,
            typeCode: i.instrumentType?.code ?? '',
            manufacturer: i.instrument?.manufacturer ?? '',
            model: i.instrument?.model ?? null,
            serialNumber: i.instrument?.serialNumber ?? '',
          },
    service: i.service,
    conformityStatementRequested: i.conformityStatementRequested,
    decisionRule: i.decisionRule,
    notes: i.notes,
    status: i.status,
    allowedTransitions: [...allowedItemTransitions(i.status)],
    statusReason: i.statusReason,
    technicianId: i.technicianId,
    scheduledDate: i.scheduledDate,
    labelId: i.labelId,
    conditionOnReceipt: i.conditionOnReceipt,
    receivedAt: i.receivedAt?.toISOString() ?? null,
    statusChangedAt: i.statusChangedAt.toISOString(),
    links: {
      results: `/results?requestItemId=${i.id}`,
      certificates: `/certificates?requestItemId=${i.id}`,
    },
  };
}

export function toWorkItemView(i: RequestItem): WorkItemView {
  const r = i.request!;
  return {
    ...toItemView(i),
    organization: { id: r.organizationId, name: r.organization?.name ?? '' },
    place: r.place,
    siteAddress: r.siteAddress,
  };
}

export function toSummaryView(r: ServiceRequest, counts: Partial<Record<ItemStatus, number>>): RequestSummaryView {
  return {
    id: r.id,
    number: r.number,
    organization: { id: r.organizationId, name: r.organization?.name ?? '' },
    status: r.status,
    place: r.place,
    siteAddress: r.siteAddress,
    preferredDate: r.preferredDate,
    notes: r.notes,
    itemCount: r.itemCount,
    itemStatusCounts: counts,
    submittedBy: { kind: r.submittedByKind, id: r.submittedById },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    statusChangedAt: r.statusChangedAt.toISOString(),
  };
}

/**
 * A history entry as people read it. A business acts only on its own organization's requests, so a
 * business actor is named by the request's organization (`organizationName`); rows store the
 * actor's id (the API key), which no person reads.
 */
export function toHistoryView(h: RequestHistoryEntry, organizationName?: string): HistoryEntryView {
  return {
    id: h.id,
    itemId: h.itemId,
    from: h.fromStatus,
    to: h.toStatus,
    reason: h.reason,
    details: h.details,
    actor: {
      kind: h.actorKind,
      id: h.actorId,
      name: h.actorKind === 'business' && organizationName ? organizationName : h.actorName,
    },
    occurredAt: h.occurredAt.toISOString(),
  };
}

export function countStatuses(statuses: Iterable<ItemStatus>): Partial<Record<ItemStatus, number>> {
  const counts: Partial<Record<ItemStatus, number>> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
