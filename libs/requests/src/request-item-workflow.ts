import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditEntry } from '#libs/audit';
import { NotFoundError, organizationScope, type Principal, type Tx } from '#libs/core';
import { WebhookService } from '#libs/webhooks';
import { RequestItem, ServiceRequest } from './request.entities.js';
import { actorColumns, type Actor } from './actor.js';
import { RequestRepository, type ItemField, type ItemFields, type StatusCounts } from './request.repository.js';
import { checkItemTransition, deriveRequestStatus, type ItemStatus, type ItemTransition } from './workflow.js';

/** One item's move, with the columns that come with it (technician and date, label and condition). */
export interface ItemChange {
  /** The item as read after its request was locked. */
  item: RequestItem;
  move: ItemTransition;
  set?: ItemFields;
  /** Kept in the history entry. */
  details?: Record<string, unknown>;
}

/**
 * The item workflow's engine, and what other libraries call: the calibration library marks results
 * approved and the certificates library marks a certificate issued, inside their own transactions
 * (the outbox flushes its webhooks after that transaction commits).
 *
 * Every change locks the request row first, so changes to one request are serialised and its
 * derived status is computed from committed item statuses: read with the item after the lock
 * (lockItem), then kept up to date in memory by each move of the transaction; a request locked
 * without its item (lockRequest) has them counted when its status is derived. Each move is checked by the pure
 * state machine (workflow.ts), written with its history entry, its audit-trail entry and its
 * `item.status_changed` webhook in the caller's transaction; when the request's derived status
 * changes, the same for the request (`request.status_changed`).
 */
@Injectable()
export class RequestItemWorkflow {
  /** Item status counts of requests locked by lockItem in a transaction, moved along by apply. */
  private readonly countsUnderLock = new WeakMap<ServiceRequest, StatusCounts>();

  constructor(
    private readonly audit: AuditTrail,
    private readonly webhooks: WebhookService,
    private readonly repository: RequestRepository,
  ) {}

  /** The item, read without a lock (for what-if computations that write nothing); null when none. */
  findItem(tx: Tx, itemId: string): Promise<RequestItem | null> {
    return this.repository.item(tx, itemId);
  }

  /** Locks and returns the request; a business asking for another organization's gets 404. */
  async lockRequest(tx: Tx, requestId: string, principal?: Principal): Promise<ServiceRequest> {
    const scope = organizationScope(principal);
    const found = await tx.manager.getRepository(ServiceRequest).findOne({
      where: scope ? { id: requestId, organizationId: scope } : { id: requestId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!found) throw new NotFoundError('service_request', requestId);
    return found;
  }

  /** Locks the item's request, then reads the item (optionally only within that request). */
  async lockItem(
    tx: Tx,
    itemId: string,
    options: { requestId?: string; principal?: Principal } = {},
  ): Promise<{ request: ServiceRequest; item: RequestItem }> {
    let request: ServiceRequest;
    if (options.requestId) request = await this.lockRequest(tx, options.requestId, options.principal);
    else if (options.principal) {
      // Two steps, so that another organization's request is told apart from an unknown item.
      const requestId = (
        await tx.manager
          .getRepository(RequestItem)
          .findOne({ select: { id: true, requestId: true }, where: { id: itemId } })
      )?.requestId;
      if (!requestId) throw new NotFoundError('request_item', itemId);
      request = await this.lockRequest(tx, requestId, options.principal);
    } else request = await this.lockRequestOfItem(tx, itemId);
    // Read after the lock (a statement of its own, so it sees what the previous holder committed),
    // with the request's item counts: its derived status needs no statement of its own.
    const found = await this.repository.itemWithCounts(tx, itemId, request.id);
    if (!found) throw new NotFoundError('request_item', itemId);
    this.countsUnderLock.set(request, found.counts);
    return { request, item: found.item };
  }

  /** Locks the request an item belongs to, in one statement (the item's request never changes). */
  private async lockRequestOfItem(tx: Tx, itemId: string): Promise<ServiceRequest> {
    const found = await this.repository.lockRequestOfItem(tx, itemId);
    if (!found) throw new NotFoundError('request_item', itemId);
    return found;
  }

  /** in_progress → results_approved; for the calibration library, inside its transaction. */
  async markResultsApproved(tx: Tx, itemId: string, actor: Actor): Promise<void> {
    const { request, item } = await this.lockItem(tx, itemId);
    await this.apply(tx, request, [{ item, move: { to: 'results_approved' } }], actor);
  }

  /** results_approved → certificate_issued; for the certificates library, inside its transaction. */
  async markCertificateIssued(
    tx: Tx,
    itemId: string,
    actor: Actor,
    details: { certificateNumber?: string } = {},
  ): Promise<void> {
    const { request, item } = await this.lockItem(tx, itemId);
    await this.apply(tx, request, [{ item, move: { to: 'certificate_issued' }, details }], actor);
  }

  /**
   * results_approved → certificate_issued, when the item is still there: an amendment, or a
   * certificate after a revoked one, finds it moved already and leaves it. For the certificates
   * library, inside its transaction; the status is read after the request is locked.
   */
  async markCertificateIssuedIfApproved(tx: Tx, itemId: string, actor: Actor): Promise<void> {
    const { request, item } = await this.lockItem(tx, itemId);
    if (item.status !== 'results_approved') return;
    await this.apply(tx, request, [{ item, move: { to: 'certificate_issued' } }], actor);
  }

  /**
   * Applies moves to items of one request (locked by the caller through lockRequest/lockItem):
   * checks each, writes them (one UPDATE per target status for many items), records them, and
   * re-derives the request's status. `requestReason` is recorded with a change of the request's
   * status (default: the reason of a single item's move). Returns the request as it is afterwards.
   */
  async apply(
    tx: Tx,
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
    const now = await this.writeMoves(tx, request, checked, actor);
    const entries: AuditEntry[] = checked.map((c) => ({
      actor,
      entity: 'request_item',
      entityId: c.item.id,
      action: `status:${c.move.to}`,
      before: { status: c.from },
      after: { status: c.move.to, ...c.set },
      reason: c.reason,
    }));
    await this.audit.record(tx, ...entries);
    const changedAt = now.toISOString();
    await this.webhooks.publishMany(
      tx,
      request.organizationId,
      'item.status_changed',
      checked.map((c) => ({
        requestId: request.id,
        requestNumber: request.number,
        itemId: c.item.id,
        ordinal: c.item.ordinal,
        subjectKind: c.item.subjectKind,
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
    const counts = await this.countsAfter(tx, request, checked);
    return this.rederive(
      tx,
      request,
      counts,
      actor,
      now,
      requestReason ?? (checked.length === 1 ? checked[0]!.reason : null),
    );
  }

  /**
   * The items' new statuses and their history rows: one statement per target status and set of
   * columns (a batch schedule sets each item's technician and date; a batch receipt each item's
   * label and condition), so one for a single move. Returns the change time, the transaction's
   * now() (from RETURNING: no statement of its own).
   */
  private async writeMoves(
    tx: Tx,
    request: ServiceRequest,
    checked: readonly (ItemChange & { from: ItemStatus; reason: string | null })[],
    actor: Actor,
  ): Promise<Date> {
    type Move = (typeof checked)[number];
    const groups = new Map<string, { to: ItemStatus; fields: ItemField[]; moves: Move[] }>();
    for (const c of checked) {
      const fields = Object.keys(c.set ?? {}).sort() as ItemField[];
      const key = `${c.move.to}:${fields.join(',')}`;
      const group = groups.get(key) ?? { to: c.move.to, fields, moves: [] };
      group.moves.push(c);
      groups.set(key, group);
    }
    const actorCols = actorColumns(actor);
    let now: Date | undefined;
    for (const { to, fields, moves } of groups.values()) {
      const changedAt = await this.repository.moveItems(
        tx,
        request.id,
        to,
        moves.map((c) => ({
          id: c.item.id,
          from: c.from,
          reason: c.reason,
          set: c.set,
          details: c.details ?? (c.set ? { ...c.set } : null),
        })),
        fields,
        actorCols,
      );
      now ??= changedAt;
    }
    // Every item vanished (cannot happen under the request's lock): the transaction's time all the same.
    return now ?? this.repository.now(tx);
  }

  /**
   * The request's item counts after `checked`: those read under its lock moved along in memory, or
   * counted now (the moves are written) when the request was locked without them.
   */
  private async countsAfter(
    tx: Tx,
    request: ServiceRequest,
    checked: readonly { from: ItemStatus; move: ItemTransition }[],
  ): Promise<StatusCounts> {
    const known = this.countsUnderLock.get(request);
    if (!known) return (await this.repository.statusCounts(tx, [request.id])).get(request.id) ?? {};
    const counts: StatusCounts = { ...known };
    for (const c of checked) {
      counts[c.from] = (counts[c.from] ?? 0) - 1;
      counts[c.move.to] = (counts[c.move.to] ?? 0) + 1;
      if (counts[c.from] === 0) delete counts[c.from];
    }
    this.countsUnderLock.set(request, counts);
    return counts;
  }

  /** The request's status from its items (deriveRequestStatus); recorded and announced when it changes. */
  private async rederive(
    tx: Tx,
    request: ServiceRequest,
    counts: StatusCounts,
    actor: Actor,
    now: Date,
    reason: string | null,
  ): Promise<ServiceRequest> {
    const rows = Object.entries(counts) as [ItemStatus, number][];
    const to = deriveRequestStatus(rows.flatMap(([status, n]) => Array<ItemStatus>(n).fill(status)));
    const from = request.status;
    if (to === from) return request;
    await this.repository.setRequestStatus(
      tx,
      request.id,
      { from, to, at: now, reason, details: { itemStatusCounts: counts } },
      actorColumns(actor),
    );
    await this.audit.record(tx, {
      actor,
      entity: 'service_request',
      entityId: request.id,
      action: `status:${to}`,
      before: { status: from },
      after: { status: to },
      reason,
    });
    await this.webhooks.publish(tx, request.organizationId, 'request.status_changed', {
      requestId: request.id,
      requestNumber: request.number,
      from,
      to,
      reason,
      changedAt: now.toISOString(),
    });
    return Object.assign(request, { status: to, statusChangedAt: now });
  }
}
