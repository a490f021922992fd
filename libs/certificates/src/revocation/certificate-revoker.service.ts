import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import { ConflictError, NotFoundError, Outbox, type Principal } from '#libs/core';
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
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: CertificateSettings,
    private readonly instruments: InstrumentService,
    private readonly webhooks: WebhookService,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
  ) {}

  async revoke(id: string, reason: string, principal: Extract<Principal, { kind: 'staff' }>): Promise<void> {
    let deliveries = 0;
    await this.db.transaction(async (m) => {
      const repo = m.getRepository(Certificate);
      const c = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw new NotFoundError('certificate', id);
      const found = await readStanding(m, c);
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
        ? await this.instruments.recordRevocation(m, c.instrumentId, c.service, c.measurementDate, revokedOn)
        : undefined;
      const stamp = await m.getRepository(VerificationStamp).findOneBy({ certificateId: c.id });
      const effect = {
        number: c.number,
        revokedOn,
        stampSerial: stamp?.serial ?? null,
        instrumentId: c.instrumentId,
        instrumentNextDueDate: instrument?.nextDueDate ?? null,
      };
      deliveries = await this.webhooks.publish(m, c.organizationId, 'certificate.revoked', {
        certificateId: c.id,
        kind: c.kind,
        service: c.service,
        ...effect,
        revokedAt: revokedAt.toISOString(),
        reason,
        resultRevisionId: c.resultRevisionId,
        verificationUrl: this.settings.verificationUrl(c.number),
      });
      await this.audit.record(m, {
        actor: principal,
        entity: 'certificate',
        entityId: id,
        action: 'revoke',
        after: effect,
        reason,
      });
    });
    // The API has no outbox sweeper: the webhook deliveries are moved to the queue now.
    if (deliveries > 0) await this.outbox.flushQuietly();
  }
}
