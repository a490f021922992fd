import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail, type AuditEntry } from '#libs/audit';
import { insertMany, NotFoundError, organizationScope, type Principal } from '#libs/core';
import { WebhookService } from '#libs/webhooks';
import { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { actorColumns, type Actor } from './views.js';
import { checkItemTransition, deriveRequestStatus, type ItemStatus, type ItemTransition } from './workflow.js';

/** One item's move, with the columns that come with it (technician and date, label and condition). */
export interface ItemChange {
  /** The item as read after its request was locked. */
  item: RequestItem;
  move: ItemTransition;
  set?: Partial<Pick<RequestItem, 'technicianId' | 'scheduledDate' | 'labelId' | 'conditionOnReceipt' | 'receivedAt'>>;
  /** Kept in the history entry. */
  details?: Record<string, unknown>;
}

/**
 * The item workflow's engine, and what other libraries call: the calibration library marks results
 * approved and the certificates library marks a certificate issued, inside their own transactions
 * (then flush the outbox after commit, or let the worker's sweep deliver the webhooks within a second).
 *
 * Every change locks the request row first, so changes to one request are serialised and its
 * derived status is computed from committed item statuses. Each move is checked by the pure
 * state machine (workflow.ts), written with its history entry, its audit-trail entry and its
 * `item.status_changed` webhook in the caller's transaction; when the request's derived status
 * changes, the same for the request (`request.status_changed`).
 */
@Injectable()
export class RequestItemWorkflow {
  constructor(
    private readonly audit: AuditTrail,
    private readonly webhooks: WebhookService,
  ) {}

  /** Locks and returns the request; a business asking for another organization's gets 404. */
  async lockRequest(m: EntityManager, requestId: string, principal?: Principal): Promise<ServiceRequest> {
    const scope = organizationScope(principal);
    const found = await m.getRepository(ServiceRequest).findOne({
      where: scope ? { id: requestId, organizationId: scope } : { id: requestId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!found) throw new NotFoundError('service_request', requestId);
    return found;
  }

  /** Locks the item's request, then reads the item (optionally only within that request). */
  async lockItem(
    m: EntityManager,
    itemId: string,
    options: { requestId?: string; principal?: Principal } = {},
  ): Promise<{ request: ServiceRequest; item: RequestItem }> {
    const requestId =
      options.requestId ??
      (await m.getRepository(RequestItem).findOne({ select: { id: true, requestId: true }, where: { id: itemId } }))
        ?.requestId;
    if (!requestId) throw new NotFoundError('request_item', itemId);
    const request = await this.lockRequest(m, requestId, options.principal);
    const item = await m.getRepository(RequestItem).findOneBy({ id: itemId, requestId });
    if (!item) throw new NotFoundError('request_item', itemId);
    return { request, item };
  }

  /** in_progress → results_approved; for the calibration library, inside its transaction. */
  async markResultsApproved(m: EntityManager, itemId: string, actor: Actor): Promise<void> {
    const { request, item } = await this.lockItem(m, itemId);
    await this.apply(m, request, [{ item, move: { to: 'results_approved' } }], actor);
  }

  /** results_approved → certificate_issued; for the certificates library, inside its transaction. */
  async markCertificateIssued(
    m: EntityManager,
    itemId: string,
    actor: Actor,
    details: { certificateNumber?: string } = {},
  ): Promise<void> {
    const { request, item } = await this.lockItem(m, itemId);
    await this.apply(m, request, [{ item, move: { to: 'certificate_issued' }, details }], actor);
  }

  /**
   * results_approved → certificate_issued, when the item is still there: an amendment, or a
   * certificate after a revoked one, finds it moved already and leaves it. For the certificates
   * library, inside its transaction; markCertificateIssued locks the request and checks the move again.
   */
  async markCertificateIssuedIfApproved(m: EntityManager, itemId: string, actor: Actor): Promise<void> {
    const item = await m
      .getRepository(RequestItem)
      .findOne({ select: { id: true, status: true }, where: { id: itemId } });
    if (item?.status === 'results_approved') await this.markCertificateIssued(m, itemId, actor);
  }

  /**
   * Applies moves to items of one request (locked by the caller through lockRequest/lockItem):
   * checks each, writes them (one UPDATE per target status for many items), records them, and
   * re-derives the request's status. `requestReason` is recorded with a change of the request's
   * status (default: the reason of a single item's move). Returns the request as it is afterwards.
   */
  async apply(
    m: EntityManager,
    request: ServiceRequest,
    changes: ItemChange[],
    actor: Actor,
    requestReason?: string | null,
  ): Promise<ServiceRequest> {
    if (changes.length === 0) return request;
    const checked = changes.map((c) => ({
      ...c,
      from: c.item.status,
      reason: checkItemTransition(c.item.status, c.move),
    }));
    const [{ now }] = (await m.query('SELECT now() AS now')) as [{ now: Date }];
    if (checked.length === 1) {
      const c = checked[0]!;
      await m.update(
        RequestItem,
        { id: c.item.id },
        { ...c.set, status: c.move.to, statusReason: c.reason, statusChangedAt: now },
      );
    } else {
      const byTarget = new Map<ItemStatus, typeof checked>();
      for (const c of checked) {
        if (c.set) throw new Error('RequestItemWorkflow.apply: moves that set columns are applied one at a time');
        const group = byTarget.get(c.move.to);
        if (group) group.push(c);
        else byTarget.set(c.move.to, [c]);
      }
      for (const [to, group] of byTarget) {
        await m.query(
          `UPDATE request_item AS ri SET status = $1, status_reason = n.reason, status_changed_at = $2, updated_at = now()
             FROM unnest($3::uuid[], $4::text[]) AS n(id, reason) WHERE ri.id = n.id`,
          [to, now, group.map((c) => c.item.id), group.map((c) => c.reason)],
        );
      }
    }
    const actorCols = actorColumns(actor);
    await insertMany(
      m,
      RequestHistoryEntry,
      checked.map((c) => ({
        requestId: request.id,
        itemId: c.item.id,
        fromStatus: c.from,
        toStatus: c.move.to,
        reason: c.reason,
        details: c.details ?? (c.set ? { ...c.set } : null),
        ...actorCols,
      })),
    );
    const entries: AuditEntry[] = checked.map((c) => ({
      actor,
      entity: 'request_item',
      entityId: c.item.id,
      action: `status:${c.move.to}`,
      before: { status: c.from },
      after: { status: c.move.to, ...c.set },
      reason: c.reason,
    }));
    await this.audit.record(m, ...entries);
    const changedAt = now.toISOString();
    await this.webhooks.publishMany(
      m,
      request.organizationId,
      'item.status_changed',
      checked.map((c) => ({
        requestId: request.id,
        itemId: c.item.id,
        ordinal: c.item.ordinal,
        instrumentId: c.item.instrumentId,
        service: c.item.service,
        from: c.from,
        to: c.move.to,
        reason: c.reason,
        changedAt,
        ...(c.set?.scheduledDate ? { scheduledDate: c.set.scheduledDate } : {}),
        ...(c.set?.labelId ? { labelId: c.set.labelId } : {}),
      })),
    );
    return this.rederive(m, request, actor, now, requestReason ?? (checked.length === 1 ? checked[0]!.reason : null));
  }

  /** The request's status from its items (deriveRequestStatus); recorded and announced when it changes. */
  private async rederive(
    m: EntityManager,
    request: ServiceRequest,
    actor: Actor,
    now: Date,
    reason: string | null,
  ): Promise<ServiceRequest> {
    const rows = (await m.query(
      'SELECT status, count(*)::int AS n FROM request_item WHERE request_id = $1 GROUP BY status',
      [request.id],
    )) as { status: ItemStatus; n: number }[];
    const to = deriveRequestStatus(rows.flatMap((r) => Array<ItemStatus>(r.n).fill(r.status)));
    const from = request.status;
    if (to === from) return request;
    await m.update(ServiceRequest, { id: request.id }, { status: to, statusChangedAt: now });
    await m.insert(RequestHistoryEntry, {
      requestId: request.id,
      itemId: null,
      fromStatus: from,
      toStatus: to,
      reason,
      details: { itemStatusCounts: Object.fromEntries(rows.map((r) => [r.status, r.n])) },
      ...actorColumns(actor),
    });
    await this.audit.record(m, {
      actor,
      entity: 'service_request',
      entityId: request.id,
      action: `status:${to}`,
      before: { status: from },
      after: { status: to },
      reason,
    });
    await this.webhooks.publish(m, request.organizationId, 'request.status_changed', {
      requestId: request.id,
      from,
      to,
      reason,
      changedAt: now.toISOString(),
    });
    return Object.assign(request, { status: to, statusChangedAt: now });
  }
}
