import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  KIND_STATUS,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  UnprocessableError,
  type FieldError,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import type {
  BatchItemRef,
  BatchItemsDto,
  BatchReceiveDto,
  BatchReceiveItem,
  BatchResultView,
  BatchScheduleDto,
} from './dto/batch.dto.js';
import { ItemMoveRules, type ItemMove } from './item-move-rules.js';
import type { RequestItem } from './request.entities.js';
import { RequestItemWorkflow, type ItemChange } from './request-item-workflow.js';
import { RequestRepository } from './request.repository.js';
import { RequestService } from './request.service.js';
import { assertItemTransitionAllowed, checkItemTransition, type ItemStatus } from './workflow.js';

export const BATCH_ACTIONS = {
  schedule: 'scheduled',
  receive: 'received',
  return: 'returned',
  close: 'closed',
} as const satisfies Record<string, ItemStatus>;
export type BatchAction = keyof typeof BATCH_ACTIONS;

type Decide<E> = (item: RequestItem, entry: E) => Promise<ItemMove>;
/** Why each refused item (by its index in the batch) cannot move. */
type Refusals = Map<number, DomainError>;

/** One refused item's field errors, named from the batch: `items[3].technicianId`, or `items[3]`. */
function fieldErrors(index: number, e: DomainError): FieldError[] {
  const given = e.details.errors ?? [];
  if (given.length) return given.map((f) => ({ field: `items[${index}].${f.field}`, message: f.message }));
  return [{ field: e.kind === 'not_found' ? `items[${index}].itemId` : `items[${index}]`, message: e.message }];
}

/**
 * The refusal of a whole batch: 409 when every refused item is refused for its state (or a label
 * already used), else 422; `items[]` gives each refused item's index, id, code and reason, `errors[]`
 * their fields.
 */
function batchRefusal(action: BatchAction, entries: readonly BatchItemRef[], refusals: Refusals): DomainError {
  const sorted = [...refusals].sort(([a], [b]) => a - b);
  const items = sorted.map(([index, e]) => {
    // The item's field errors go to the batch's `errors[]`, named from the batch.
    const rest = Object.fromEntries(Object.entries(e.details).filter(([k]) => k !== 'errors'));
    return {
      index,
      itemId: entries[index]!.itemId,
      code: e.code,
      status: KIND_STATUS[e.kind],
      detail: e.message,
      ...rest,
    };
  });
  const errors = sorted.flatMap(([index, e]) => fieldErrors(index, e));
  const message = `${refusals.size} of ${entries.length} items cannot be moved (${action}); nothing was changed`;
  return sorted.every(([, e]) => e.kind === 'conflict')
    ? new ConflictError('request_item.batch_conflict', message, { errors, items })
    : new UnprocessableError('request_item.batch_refused', message, { errors, items });
}

/**
 * Batch item actions: schedule, receive, return or close many items of one request in one call,
 * all or nothing. One transaction with the request locked; each item is checked exactly as its
 * one-item route checks it (the state machine, then ItemMoveRules), every refusal collected; if any,
 * nothing is written and the answer names them all. Otherwise RequestItemWorkflow.apply writes the
 * moves with their history rows, audit entries and `item.status_changed` webhooks, one per item, as
 * the one-item routes do.
 */
@Injectable()
export class RequestBatchService {
  constructor(
    private readonly requests: RequestService,
    private readonly workflow: RequestItemWorkflow,
    private readonly rules: ItemMoveRules,
    private readonly uow: UnitOfWork,
    private readonly repository: RequestRepository,
  ) {}

  schedule(id: string, dto: BatchScheduleDto, principal: Principal): Promise<BatchResultView> {
    const asked = new Map<string, Promise<boolean>>();
    return this.run(id, 'schedule', dto.items, principal, (item, e) => this.rules.schedule(item, e, asked));
  }

  async receive(id: string, dto: BatchReceiveDto, principal: Principal): Promise<BatchResultView> {
    const at = new Date();
    const decide = async (_: RequestItem, e: BatchReceiveItem) => this.rules.receive(e, at);
    try {
      return await this.run(id, 'receive', dto.items, principal, decide, (tx) => this.labelRefusals(tx, dto.items));
    } catch (e) {
      // A concurrent receipt took a label between the check and the write.
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_request_item_label')
        throw new ConflictError('request_item.label_taken', 'A label of this batch was just put on another item');
      throw e;
    }
  }

  returnItems(id: string, dto: BatchItemsDto, principal: Principal): Promise<BatchResultView> {
    return this.run(id, 'return', dto.items, principal, async () => ({ move: { to: 'returned' } }));
  }

  close(id: string, dto: BatchItemsDto, principal: Principal): Promise<BatchResultView> {
    return this.run(id, 'close', dto.items, principal, async () => ({ move: { to: 'closed' } }));
  }

  private run<E extends BatchItemRef>(
    id: string,
    action: BatchAction,
    entries: readonly E[],
    principal: Principal,
    decide: Decide<E>,
    precheck?: (tx: Tx) => Promise<Refusals>,
  ): Promise<BatchResultView> {
    return this.uow.run(async (tx) => {
      const request = await this.workflow.lockRequest(tx, id, principal);
      const items = await this.repository.itemsByIds(
        tx,
        id,
        entries.map((e) => e.itemId),
      );
      const refusals = precheck ? await precheck(tx) : new Map<number, DomainError>();
      const changes = await this.decideAll(items, entries, BATCH_ACTIONS[action], decide, refusals);
      if (refusals.size) throw batchRefusal(action, entries, refusals);
      await this.workflow.apply(tx, request, changes, principal);
      return this.answer(tx, id, changes);
    });
  }

  /** Each item's move, checked as its one-item route checks it; refusals go into `refusals`. */
  private async decideAll<E extends BatchItemRef>(
    items: Map<string, RequestItem>,
    entries: readonly E[],
    to: ItemStatus,
    decide: Decide<E>,
    refusals: Refusals,
  ): Promise<ItemChange[]> {
    const seen = new Map<string, number>();
    const changes: ItemChange[] = [];
    for (const [index, entry] of entries.entries()) {
      try {
        const earlier = seen.get(entry.itemId);
        if (earlier !== undefined)
          throw new UnprocessableError('request_item.duplicate_in_batch', `This item is also items[${earlier}]`);
        seen.set(entry.itemId, index);
        const item = items.get(entry.itemId);
        if (!item) throw new NotFoundError('request_item', entry.itemId);
        assertItemTransitionAllowed(item.status, to);
        const change: ItemChange = { item, ...(await decide(item, entry)) };
        checkItemTransition(item.status, change.move);
        if (!refusals.has(index)) changes.push(change);
      } catch (e) {
        // The state comes first, as in the one-item route: it overrides a precheck's refusal.
        if (!(e instanceof DomainError)) throw e;
        refusals.set(index, e);
      }
    }
    return changes;
  }

  /** Labels already on another item, or given twice in the batch. */
  private async labelRefusals(tx: Tx, entries: readonly BatchReceiveItem[]): Promise<Refusals> {
    const taken = await this.repository.itemsLabelled(
      tx,
      entries.map((e) => e.labelId),
    );
    const first = new Map<string, number>();
    const refusals: Refusals = new Map();
    for (const [index, e] of entries.entries()) {
      const earlier = first.get(e.labelId);
      const owner = taken.get(e.labelId);
      if (earlier === undefined) first.set(e.labelId, index);
      if (earlier === undefined && (owner === undefined || owner === e.itemId)) continue;
      const message =
        earlier === undefined
          ? `Label ${e.labelId} is already on another item`
          : `Label ${e.labelId} is also given to items[${earlier}]`;
      refusals.set(
        index,
        new ConflictError('request_item.label_taken', message, {
          errors: [{ field: 'labelId', message: 'labelId is already used' }],
        }),
      );
    }
    return refusals;
  }

  private async answer(tx: Tx, id: string, changes: readonly ItemChange[]): Promise<BatchResultView> {
    const views = await this.requests.itemViews(
      tx,
      id,
      changes.map((c) => c.item.id),
    );
    return {
      request: await this.requests.summary(tx, id),
      items: changes.map((c, index) => ({
        index,
        itemId: c.item.id,
        from: c.item.status,
        to: c.move.to,
        item: views.get(c.item.id)!,
      })),
    };
  }
}
