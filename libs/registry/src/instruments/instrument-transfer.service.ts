import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import { ConflictError, NotFoundError, UnitOfWork, UnprocessableError, type Principal } from '#libs/core';
import type { OwnershipPeriodView, TransferInstrumentDto } from './dto/instrument.dto.js';
import { InstrumentRepository } from './instrument.repository.js';

/**
 * Transfer of an instrument to another owner (a sale), by staff. From the transfer on the instrument
 * is the new owner's: they see it, its history and its due date, and request work on it; the old
 * owner no longer sees the instrument. Certificates keep the organization they were issued to, so
 * the old owner keeps its past certificates (it paid for them, and they state what was true then),
 * and the new owner gets those issued from then on. Audited; the periods are kept (ownership()).
 */
@Injectable()
export class InstrumentTransfers {
  constructor(
    private readonly repository: InstrumentRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async transfer(
    instrumentId: string,
    dto: TransferInstrumentDto,
    principal: Principal,
  ): Promise<OwnershipPeriodView[]> {
    await this.uow.run(async (tx) => {
      const current = await this.repository.lockOwner(tx, instrumentId);
      if (!current) throw new NotFoundError('instrument', instrumentId);
      if (current.ownerId === dto.newOwnerId)
        throw new ConflictError('instrument.same_owner', 'The instrument already belongs to this organization');
      const active = await this.repository.organizationActive(tx, dto.newOwnerId);
      if (!active) {
        throw new UnprocessableError('instrument.bad_reference', 'The new owner is unknown or deactivated', {
          errors: [{ field: 'newOwnerId', message: active === null ? 'no organization has this id' : 'deactivated' }],
        });
      }
      if (await this.repository.ownerHasSameIdentity(tx, instrumentId, dto.newOwnerId)) {
        throw new ConflictError(
          'instrument.duplicate',
          'The new owner already has an instrument of this type, manufacturer and serial number',
        );
      }
      const recordedBy = principal.kind === 'staff' ? principal.userId : null;
      await this.repository.recordTransfer(tx, {
        instrumentId,
        from: current.ownerId,
        to: dto.newOwnerId,
        reason: dto.reason,
        recordedBy,
      });
      await this.audit.record(tx, {
        actor: principal,
        entity: 'instrument',
        entityId: instrumentId,
        action: 'transfer',
        before: { ownerId: current.ownerId },
        after: { ownerId: dto.newOwnerId },
        reason: dto.reason,
      });
    });
    return this.ownership(instrumentId);
  }

  /** Who owned it when, oldest first: from its registration to the first transfer, …, to now (until null). */
  async ownership(instrumentId: string): Promise<OwnershipPeriodView[]> {
    const found = await this.repository.ownershipOf(instrumentId);
    if (!found) throw new NotFoundError('instrument', instrumentId);
    const { registeredAt, firstOwner, transfers } = found;
    const periods: OwnershipPeriodView[] = [];
    let owner = firstOwner;
    let since = registeredAt;
    for (const t of transfers) {
      periods.push({ owner, since: since.toISOString(), until: t.at.toISOString(), reasonEnded: t.reason });
      owner = t.to;
      since = t.at;
    }
    periods.push({ owner, since: since.toISOString(), until: null, reasonEnded: null });
    return periods;
  }
}
