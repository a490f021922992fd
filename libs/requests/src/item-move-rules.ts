import { Injectable } from '@nestjs/common';
import { AuthorisationService } from '#libs/auth';
import { UnprocessableError } from '#libs/core';
import { todayInVietnam } from '#libs/registry';
import type { ReceiveDto, ScheduleDto } from './dto/request.dto.js';
import type { RequestItem } from './request.entities.js';
import type { ItemChange } from './request-item-workflow.js';

export type ItemMove = Omit<ItemChange, 'item'>;

/**
 * What scheduling and receiving an item decide beyond the state machine, for one item or a batch
 * alike: the same checks, the same columns, the same errors (fields named as in the one-item body).
 */
@Injectable()
export class ItemMoveRules {
  constructor(private readonly authorisations: AuthorisationService) {}

  /**
   * Not on a past date; the technician authorised to perform the item's service on its type on that
   * date. `asked` remembers answers across the items of a batch (same technician, type, service, date).
   */
  async schedule(item: RequestItem, dto: ScheduleDto, asked?: Map<string, Promise<boolean>>): Promise<ItemMove> {
    if (dto.date < todayInVietnam()) {
      throw new UnprocessableError('request_item.schedule_in_past', 'An item cannot be scheduled on a past date', {
        errors: [{ field: 'date', message: 'date must be today or later' }],
      });
    }
    await this.requireAuthorised(dto.technicianId, item, dto.date, 'technicianId', asked);
    return {
      move: { to: 'scheduled', technicianId: dto.technicianId, date: dto.date },
      set: { technicianId: dto.technicianId, scheduledDate: dto.date },
    };
  }

  receive(dto: ReceiveDto, at: Date): ItemMove {
    return {
      move: { to: 'received', labelId: dto.labelId, condition: dto.condition },
      set: { labelId: dto.labelId, conditionOnReceipt: dto.condition, receivedAt: at },
    };
  }

  async requireAuthorised(
    userId: string,
    item: RequestItem,
    on: string,
    field: string,
    asked = new Map<string, Promise<boolean>>(),
  ): Promise<void> {
    const key = [userId, item.instrumentTypeId, item.service, on].join('|');
    let answer = asked.get(key);
    if (!answer) {
      answer = this.authorisations.isAuthorised(userId, {
        instrumentTypeId: item.instrumentTypeId,
        service: item.service,
        activity: 'perform',
        on,
      });
      asked.set(key, answer);
    }
    if (!(await answer)) {
      throw new UnprocessableError(
        'request_item.technician_not_authorised',
        `This person is not authorised to perform ${item.service} on this instrument type on ${on}`,
        {
          errors: [{ field, message: `not an active technician authorised for ${item.service} of this type on ${on}` }],
        },
      );
    }
  }
}
