import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import { JobHandler, UnitOfWork, type JobHandlerOf, type JobPayloads, type JobResults } from '#libs/core';
import { WebhookService } from '#libs/webhooks';
import { Certificate, VerificationStamp } from '../certificate.entity.js';
import { CertificateRepository } from '../certificate.repository.js';
import { issuedEvent } from '../issuing/certificate-issuer.service.js';

/**
 * `certificate.release_to_owner`, written to the outbox by the library that withheld the documents
 * (libs/testing, in the transaction that releases an inspector's sample). In ONE transaction, under
 * the item's release lock: the item is recorded as released (a certificate issued later is not
 * withheld), the flag of its withheld certificates is cleared, and each gets the `certificate.issued`
 * webhook it did not get at issue, with an audit entry. Exactly once: a second run finds the item
 * released and does nothing.
 */
@Injectable()
@JobHandler('certificate.release_to_owner')
export class CertificateOwnerReleaseHandler implements JobHandlerOf<'certificate.release_to_owner'> {
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly certificates: CertificateRepository,
    private readonly webhooks: WebhookService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  /** The item is recorded as released. */
  async alreadyDone(payloads: JobPayloads['certificate.release_to_owner'][]): Promise<boolean[]> {
    const released = await this.certificates.releasedItems(payloads.map((p) => p.requestItemId));
    return payloads.map((p) => released.has(p.requestItemId));
  }

  async handle({
    requestItemId,
  }: JobPayloads['certificate.release_to_owner']): Promise<JobResults['certificate.release_to_owner']> {
    const released = await this.uow.run(async (tx) => {
      const shown = await this.certificates.releaseToOwner(tx, requestItemId);
      if (shown.length === 0) return shown;
      const replacedIds = shown.flatMap((c) => (c.replacesId ? [c.replacesId] : []));
      const [replaced, stamps] = await Promise.all([
        replacedIds.length ? tx.manager.getRepository(Certificate).findBy({ id: In(replacedIds) }) : [],
        tx.manager.getRepository(VerificationStamp).findBy({ certificateId: In(shown.map((c) => c.id)) }),
      ]);
      const numberOf = new Map(replaced.map((r) => [r.id, r.number]));
      const stampOf = new Map(stamps.map((s) => [s.certificateId, s.serial]));
      for (const c of shown) {
        const replaces = c.replacesId ? (numberOf.get(c.replacesId) ?? null) : null;
        await this.webhooks.publish(
          tx,
          c.organizationId,
          'certificate.issued',
          issuedEvent(c, stampOf.get(c.id) ?? null, replaces),
        );
      }
      await this.audit.record(
        tx,
        ...shown.map((c) => ({
          actor: { kind: 'system' as const, name: 'certificate queue' },
          entity: 'certificate',
          entityId: c.id,
          action: 'release_to_owner',
          after: { number: c.number, requestItemId, withheldFromOwner: false },
        })),
      );
      return shown;
    });
    if (released.length)
      this.logger.log(`item ${requestItemId}: ${released.map((c) => c.number).join(', ')} released to the owner`);
    return { released: released.map((c) => c.number) };
  }
}
