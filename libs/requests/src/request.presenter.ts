import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AuditEntry } from '#libs/audit';
import type { HistoryEntryView, RequestItemView, RequestSummaryView, WorkItemView } from './dto/request.dto.js';
import { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { allowedItemTransitions, type ItemStatus } from './workflow.js';

export type Actor = AuditEntry['actor'];

/** How an actor is written in the history: the same three kinds as the audit trail. */
export function actorColumns(actor: Actor): Pick<RequestHistoryEntry, 'actorKind' | 'actorId' | 'actorName'> {
  switch (actor.kind) {
    case 'staff':
      return { actorKind: 'staff', actorId: actor.userId, actorName: actor.fullName || actor.username };
    case 'business':
      return { actorKind: 'business', actorId: actor.apiKeyId, actorName: `organization ${actor.organizationId}` };
    case 'system':
      return { actorKind: 'system', actorId: null, actorName: actor.name };
  }
}

/** Items with what their views show of the instrument and its type. */
export function itemsWithInstrument(manager: EntityManager): SelectQueryBuilder<RequestItem> {
  return manager
    .getRepository(RequestItem)
    .createQueryBuilder('ri')
    .innerJoin('ri.instrument', 'ins')
    .addSelect(['ins.id', 'ins.manufacturer', 'ins.model', 'ins.serialNumber'])
    .innerJoin('ri.instrumentType', 't')
    .addSelect(['t.id', 't.code']);
}

export function toItemView(i: RequestItem): RequestItemView {
  return {
    id: i.id,
    requestId: i.requestId,
    ordinal: i.ordinal,
    instrument: {
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

export function toHistoryView(h: RequestHistoryEntry): HistoryEntryView {
  return {
    id: h.id,
    itemId: h.itemId,
    from: h.fromStatus,
    to: h.toStatus,
    reason: h.reason,
    details: h.details,
    actor: { kind: h.actorKind, id: h.actorId, name: h.actorName },
    occurredAt: h.occurredAt.toISOString(),
  };
}

export function countStatuses(statuses: Iterable<ItemStatus>): Partial<Record<ItemStatus, number>> {
  const counts: Partial<Record<ItemStatus, number>> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** Item statuses of each request: one GROUP BY for a page of requests. */
export async function statusCounts(
  manager: EntityManager,
  requestIds: string[],
): Promise<Map<string, Partial<Record<ItemStatus, number>>>> {
  const map = new Map<string, Partial<Record<ItemStatus, number>>>();
  if (requestIds.length === 0) return map;
  const rows = await manager
    .getRepository(RequestItem)
    .createQueryBuilder('ri')
    .select('ri.request_id', 'requestId')
    .addSelect('ri.status', 'status')
    .addSelect('count(*)::int', 'n')
    .where('ri.request_id IN (:...ids)', { ids: requestIds })
    .groupBy('ri.request_id')
    .addGroupBy('ri.status')
    .getRawMany<{ requestId: string; status: ItemStatus; n: number }>();
  for (const r of rows) map.set(r.requestId, { ...map.get(r.requestId), [r.status]: r.n });
  return map;
}
