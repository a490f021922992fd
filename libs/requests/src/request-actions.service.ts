import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { InstrumentService, todayInVietnam } from '#libs/registry';
import { reviewDate, type ReviewOutcome } from './contract-review.js';
import { ContractReviewService, type ReviewableItem } from './contract-review.service.js';
import { ItemMoveRules } from './item-move-rules.js';
import type {
  AcceptResultView,
  ContractReviewView,
  ItemReviewView,
  ReceiveDto,
  RequestItemView,
  RequestSummaryView,
  ScheduleDto,
} from './dto/request.dto.js';
import type { RequestItem, ServiceRequest } from './request.entities.js';
import { RequestItemWorkflow, type ItemChange } from './request-item-workflow.js';
import { RequestService } from './request.service.js';
import { RequestRepository } from './request.repository.js';
import {
  assertItemTransitionAllowed,
  checkRequestAction,
  itemsMovedBy,
  type ItemStatus,
  type ItemTransition,
} from './workflow.js';

type ReviewRow = ReviewableItem & { ordinal: number; item: RequestItem };

function itemReview(row: ReviewRow, outcome: ReviewOutcome): ItemReviewView {
  return { itemId: row.id, ordinal: row.ordinal, ...outcome };
}

/**
 * What staff and businesses do to requests over HTTP: contract review and acceptance, rejection,
 * cancellation, and the item steps up to the work (schedule, receive, start) and after the
 * certificate (return, close). results_approved and certificate_issued are not here: only the
 * calibration and certificates libraries make them, through RequestItemWorkflow.
 */
@Injectable()
export class RequestActionsService {
  constructor(
    private readonly requests: RequestService,
    private readonly workflow: RequestItemWorkflow,
    private readonly reviewer: ContractReviewService,
    private readonly rules: ItemMoveRules,
    private readonly uow: UnitOfWork,
    private readonly repository: RequestRepository,
    private readonly instruments: InstrumentService,
  ) {}

  /** Items still awaiting review, with what the review needs. */
  private async submittedItems(tx: Tx | undefined, requestId: string): Promise<ReviewRow[]> {
    const items = await this.repository.items(tx, requestId, ['submitted']);
    const instruments = await this.instruments.summaries(
      items.flatMap((i) => (i.instrumentId === null ? [] : [i.instrumentId])),
    );
    return items.map((item) => {
      const instrument = item.instrumentId === null ? undefined : instruments.get(item.instrumentId);
      return {
        id: item.id,
        ordinal: item.ordinal,
        instrumentTypeId: item.instrumentTypeId,
        service: item.service,
        rangeMax: instrument?.rangeMax ?? null,
        rangeUnit: instrument?.rangeUnit ?? null,
        item,
      };
    });
  }

  /** What acceptance would decide now, without deciding it. */
  async contractReview(id: string): Promise<ContractReviewView> {
    const request = await this.requests.find(id);
    const rows = await this.submittedItems(undefined, id);
    const date = reviewDate(request.preferredDate, todayInVietnam());
    await this.reviewer.assertReady(undefined, rows, date);
    const outcomes = await this.reviewer.review(undefined, rows, date);
    const items = rows.map((r) => itemReview(r, outcomes.get(r.id)!));
    const doable = items.filter((i) => i.doable).length;
    return { date, doable, cannotDo: items.length - doable, items };
  }

  /**
   * Contract review and acceptance (ISO/IEC 17025 7.1). Partial acceptance: the items the centre
   * can do are accepted, the others rejected with the review's reasons — what a centre wants: the
   * customer's doable work starts at once, and the response and the item webhooks tell the customer
   * exactly what was refused and why (they may resubmit those once the centre can do them). A
   * request none of whose items can be done ends rejected.
   */
  async accept(id: string, principal: Principal): Promise<AcceptResultView> {
    const result = await this.uow.run(async (tx) => {
      const request = await this.workflow.lockRequest(tx, id, principal);
      checkRequestAction(request.status, 'accept');
      const rows = await this.submittedItems(tx, id);
      const date = reviewDate(request.preferredDate, todayInVietnam());
      await this.reviewer.assertReady(tx, rows, date);
      const outcomes = await this.reviewer.review(tx, rows, date);
      const rejected: ItemReviewView[] = [];
      const changes: ItemChange[] = rows.map((row) => {
        const o = outcomes.get(row.id)!;
        if (o.doable)
          return { item: row.item, move: { to: 'accepted' }, details: { reviewDate: date, standards: o.standards } };
        rejected.push(itemReview(row, o));
        return {
          item: row.item,
          move: { to: 'rejected', reason: `Contract review: ${o.findings.map((f) => f.message).join('; ')}` },
          details: { reviewDate: date, findings: o.findings },
        };
      });
      await this.workflow.apply(tx, request, changes, principal);
      return {
        request: await this.requests.summary(tx, id),
        date,
        accepted: changes.length - rejected.length,
        rejected,
      };
    });
    return result;
  }

  /** Rejects every item still submitted (and so the request), with the reason. */
  async reject(id: string, reason: string, principal: Principal): Promise<RequestSummaryView> {
    return this.requestAction(id, 'reject', { to: 'rejected', reason }, principal, reason);
  }

  /** Withdraws the request: every item (all submitted or accepted; refused once scheduling has begun). */
  async cancel(id: string, reason: string | null, principal: Principal): Promise<RequestSummaryView> {
    return this.requestAction(id, 'cancel', { to: 'cancelled', reason }, principal, reason);
  }

  private async requestAction(
    id: string,
    action: 'reject' | 'cancel',
    move: ItemTransition,
    principal: Principal,
    reason: string | null,
  ): Promise<RequestSummaryView> {
    const view = await this.uow.run(async (tx) => {
      const request = await this.workflow.lockRequest(tx, id, principal);
      checkRequestAction(request.status, action);
      const items = await this.repository.items(tx, id, itemsMovedBy(action));
      await this.workflow.apply(
        tx,
        request,
        items.map((item) => ({ item, move })),
        principal,
        reason,
      );
      return this.requests.summary(tx, id);
    });
    return view;
  }

  rejectItem(id: string, itemId: string, reason: string, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'rejected', async () => ({ move: { to: 'rejected', reason } }));
  }

  cancelItem(id: string, itemId: string, reason: string | null, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'cancelled', async () => ({ move: { to: 'cancelled', reason } }));
  }

  /** The technician must be authorised to perform the item's service on its type on that date. */
  schedule(id: string, itemId: string, dto: ScheduleDto, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'scheduled', (item) => this.rules.schedule(item, dto));
  }

  async receive(id: string, itemId: string, dto: ReceiveDto, principal: Principal): Promise<RequestItemView> {
    try {
      return await this.itemAction(id, itemId, principal, 'received', async () => this.rules.receive(dto, new Date()));
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_request_item_label') {
        throw new ConflictError('request_item.label_taken', `Label ${dto.labelId} is already on another item`, {
          errors: [{ field: 'labelId', message: 'labelId is already used' }],
        });
      }
      throw e;
    }
  }

  /**
   * Work starts: by the technician it is scheduled for (or an admin on their behalf), who must still
   * be authorised today — an authorisation may have lapsed since scheduling.
   */
  start(id: string, itemId: string, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'in_progress', async (item) => {
      const isAdmin = principal.kind === 'staff' && principal.roles.includes('admin');
      if (!isAdmin && (principal.kind !== 'staff' || principal.userId !== item.technicianId)) {
        throw new ForbiddenError(
          'request_item.not_assigned',
          'Only the technician the item is scheduled for may start it',
        );
      }
      await this.rules.requireAuthorised(item.technicianId!, item, todayInVietnam(), 'technicianId');
      return { move: { to: 'in_progress' } };
    });
  }

  returnItem(id: string, itemId: string, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'returned', async () => ({ move: { to: 'returned' } }));
  }

  close(id: string, itemId: string, principal: Principal): Promise<RequestItemView> {
    return this.itemAction(id, itemId, principal, 'closed', async () => ({ move: { to: 'closed' } }));
  }

  /**
   * One item's move: lock its request (404 across organizations), refuse a move the workflow does
   * not allow (409) before looking at anything else, decide, apply, answer the item as it is now.
   */
  private async itemAction(
    id: string,
    itemId: string,
    principal: Principal,
    to: ItemStatus,
    decide: (item: RequestItem, request: ServiceRequest) => Promise<Omit<ItemChange, 'item'>>,
  ): Promise<RequestItemView> {
    const view = await this.uow.run(async (tx) => {
      const { request, item } = await this.workflow.lockItem(tx, itemId, { requestId: id, principal });
      assertItemTransitionAllowed(item.status, to);
      const change = await decide(item, request);
      await this.workflow.apply(tx, request, [{ item, ...change }], principal);
      return this.requests.itemView(tx, itemId);
    });
    return view;
  }
}
