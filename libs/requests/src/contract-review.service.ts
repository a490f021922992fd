import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AuthorisationService } from '#libs/auth';
import { InstrumentType, MeasurementStandard, StandardService, type ServiceKind } from '#libs/registry';
import { reviewItem, type ReviewOutcome, type StandardOnDate } from './contract-review.js';

/** What the review needs of an item: its type, service and the instrument's range. */
export interface ReviewableItem {
  id: string;
  instrumentTypeId: string;
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
  ) {}

  async review(m: EntityManager, items: ReviewableItem[], date: string): Promise<Map<string, ReviewOutcome>> {
    const outcomes = new Map<string, ReviewOutcome>();
    if (items.length === 0) return outcomes;
    const types = new Map(
      (
        await m.getRepository(InstrumentType).find({
          select: { id: true, code: true, measuredQuantity: true, unit: true, services: true, active: true },
          where: { id: In([...new Set(items.map((i) => i.instrumentTypeId))]) },
        })
      ).map((t) => [t.id, t]),
    );
    const quantities = [...new Set([...types.values()].map((t) => t.measuredQuantity.trim().toLowerCase()))];
    const candidates = await m
      .getRepository(MeasurementStandard)
      .createQueryBuilder('s')
      .where('lower(trim(s.quantity)) IN (:...quantities)', { quantities })
      .orderBy('s.code', 'ASC')
      .getMany();
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
}
