import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import { ConflictError, NotFoundError, type Principal, type Tx, UnitOfWork } from '#libs/core';
import { InstrumentService } from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import { Certificate, VerificationStamp } from '../certificate.entity.js';
import { CertificateSettings } from '../certificate-settings.js';
import { readStanding } from '../certificate-standing.js';
import { vietnamDate } from '../numbering/numbering.js';

/**
 * Revocation (thu hồi) with its legal effect, in ONE transaction: the certificate is marked revoked;
 * the instrument's service record keeps the revocation date and, for a passed verification that is
 * still the instrument's last, the next due date becomes that date (registry next-due.ts), so the
 * instrument is overdue in the due list; the stamp, whose status is its certificate's, reads revoked;
 * the owner's `certificate.revoked` webhook deliveries go to the outbox; the audit entry is written.
 * A calibration certificate's revocation is recorded on its service record only: calibration has no
 * legal due date in the registry.
 */
@Injectable()
export class CertificateRevoker {
  constructor(
    private readonly settings: CertificateSettings,
    private readonly instruments: InstrumentService,
    private readonly webhooks: WebhookService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  /** In the caller's transaction `tx` when given, else in one of its own. */
  async revoke(
    tx: Tx | undefined,
    id: string,
    reason: string,
    principal: Extract<Principal, { kind: 'staff' }>,
  ): Promise<void> {
    await this.uow.run(tx, async (tx) => {
      const repo = tx.manager.getRepository(Certificate);
      const c = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw new NotFoundError('certificate', id);
      const found = await readStanding(tx.manager, c);
      if (found.standing === 'revoked') {
        throw new ConflictError('certificate.already_revoked', `Certificate ${c.number} was already revoked`);
      }
      if (found.standing === 'superseded') {
        throw new ConflictError(
          'certificate.superseded',
          `Certificate ${c.number} is superseded by ${found.successor.number}; revoke that one if it is wrong`,
          { supersededBy: found.successor.number },
        );
      }
      const revokedAt = new Date();
      const revokedOn = vietnamDate(revokedAt);
      await repo.update({ id }, { revokedAt, revokedBy: principal.userId, revocationReason: reason });
      const instrument = c.instrumentId
        ? await this.instruments.recordRevocation(tx, c.instrumentId, c.service, c.measurementDate, revokedOn)
        : undefined;
      const stamp = await tx.manager.getRepository(VerificationStamp).findOneBy({ certificateId: c.id });
      const effect = {
        number: c.number,
        revokedOn,
        stampSerial: stamp?.serial ?? null,
        instrumentId: c.instrumentId,
        instrumentNextDueDate: instrument?.nextDueDate ?? null,
      };
      // Withheld from the owner (never announced to it): nothing to tell it yet; the release shows it revoked.
      if (!c.withheldFromOwner)
        await this.webhooks.publish(tx, c.organizationId, 'certificate.revoked', {
          certificateId: c.id,
          kind: c.kind,
          service: c.service,
          ...effect,
          revokedAt: revokedAt.toISOString(),
          reason,
          resultRevisionId: c.resultRevisionId,
          verificationUrl: this.settings.verificationUrl(c.number),
        });
      await this.audit.record(tx, {
        actor: principal,
        entity: 'certificate',
        entityId: id,
        action: 'revoke',
        after: effect,
        reason,
      });
    });
  }
}
