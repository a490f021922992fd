import { Injectable } from '@nestjs/common';
import { AuthorisationService } from '#libs/auth';
import { UnprocessableError, type FieldError, type Tx } from '#libs/core';
import {
  InstrumentTypeService,
  readinessFieldErrors,
  StandardService,
  type ServiceKind,
  type ServiceReadiness,
} from '#libs/registry';
import { reviewItem, reviewSampleItem, type ReviewOutcome, type StandardOnDate } from './contract-review.js';

/** What the review needs of an item: its type, service and the instrument's range (a sample: no type). */
export interface ReviewableItem {
  id: string;
  instrumentTypeId: string | null;
  service: ServiceKind;
  rangeMax: string | null;
  rangeUnit: string | null;
}

/**
 * Gathers the facts for contract review (contract-review.ts decides): the items' types, the
 * standards of their quantities with their status on the date, and who is authorised. Facts are
 * fetched once per type, quantity and (type, service), so reviewing 10,000 items of a few types
 * costs a handful of queries.
 */
@Injectable()
export class ContractReviewService {
  constructor(
    private readonly standards: StandardService,
    private readonly authorisations: AuthorisationService,
    private readonly types: InstrumentTypeService,
  ) {}

  /**
   * The catalogue must let the centre do what it is asked: a verification needs a procedure, a cycle
   * in force and a usable MPE rule for its kind (InstrumentTypeService.readiness). Unlike a missing
   * standard or technician, that is not the customer's item to reject but the centre's catalogue to
   * complete: the review and acceptance answer 422 naming each item and what is missing, before any
   * work is scheduled (and long before a certificate job could fail on it). In the caller's
   * transaction `tx` when given.
   */
  async assertReady(tx: Tx | undefined, items: (ReviewableItem & { ordinal: number })[], date: string): Promise<void> {
    const memo = new Map<string, Promise<ServiceReadiness>>();
    const problems: FieldError[] = [];
    for (const item of items) {
      if (item.instrumentTypeId === null) continue; // a sample: the testing catalogue's readiness is not this library's
      const key = `${item.instrumentTypeId} ${item.service}`;
      if (!memo.has(key)) memo.set(key, this.types.readiness(tx, item.instrumentTypeId, item.service, date));
      const readiness = await memo.get(key)!;
      if (!readiness.ready)
        problems.push(
          ...readinessFieldErrors(`items[${item.ordinal}]`, `item ${item.ordinal + 1} (${item.service}): `, readiness),
        );
    }
    if (problems.length) {
      const count = new Set(problems.map((p) => p.field)).size;
      throw new UnprocessableError(
        'request.items_not_ready',
        `The catalogue does not yet allow ${count} of the items: ${problems.map((p) => p.message).join(' | ')}. Complete the instrument types (procedure, cycle, MPE rule or its confirmation), or reject the request with a reason`,
        { errors: problems },
      );
    }
  }

  /** In the caller's transaction `tx` when given. */
  async review(tx: Tx | undefined, all: ReviewableItem[], date: string): Promise<Map<string, ReviewOutcome>> {
    const outcomes = await this.reviewSamples(all, date);
    const items = all.filter((i): i is ReviewableItem & { instrumentTypeId: string } => i.instrumentTypeId !== null);
    if (items.length === 0) return outcomes;
    const types = new Map(
      (
        await this.types.findMany(
          tx,
          items.map((i) => i.instrumentTypeId),
        )
      ).map((t) => [t.id, t]),
    );
    const quantities = [...new Set([...types.values()].map((t) => t.measuredQuantity.trim().toLowerCase()))];
    const candidates = await this.standards.ofQuantities(tx, quantities);
    const onDate: StandardOnDate[] = [];
    for (const s of candidates) {
      const status = await this.standards.standardStatus(s.id, date);
      onDate.push({
        id: s.id,
        code: s.code,
        quantity: s.quantity,
        unit: s.unit,
        rangeMax: s.rangeMax,
        usable: status.usable,
        reasons: status.reasons,
      });
    }
    const technicians = new Map<string, Promise<string[]>>();
    const memo = new Map<string, ReviewOutcome>();
    for (const item of items) {
      const key = [item.instrumentTypeId, item.service, item.rangeMax, item.rangeUnit].join('\u0000');
      let outcome = memo.get(key);
      if (!outcome) {
        const type = types.get(item.instrumentTypeId)!;
        const who = `${item.instrumentTypeId} ${item.service}`;
        if (!technicians.has(who)) {
          technicians.set(
            who,
            this.authorisations.authorisedUsers({
              instrumentTypeId: item.instrumentTypeId,
              service: item.service,
              activity: 'perform',
              on: date,
            }),
          );
        }
        outcome = reviewItem(
          { type, service: item.service, instrument: { rangeMax: item.rangeMax, rangeUnit: item.rangeUnit } },
          onDate,
          await technicians.get(who)!,
          date,
        );
        memo.set(key, outcome);
      }
      outcomes.set(item.id, outcome);
    }
    return outcomes;
  }

  /** The sample items' outcomes (reviewSampleItem): who may perform testing on the date, asked once. */
  private async reviewSamples(items: ReviewableItem[], date: string): Promise<Map<string, ReviewOutcome>> {
    const samples = items.filter((i) => i.instrumentTypeId === null);
    if (samples.length === 0) return new Map();
    const technicians = await this.authorisations.authorisedUsers({
      instrumentTypeId: null,
      service: 'testing',
      activity: 'perform',
      on: date,
    });
    const outcome = reviewSampleItem(technicians, date);
    return new Map(samples.map((i) => [i.id, outcome]));
  }
}
