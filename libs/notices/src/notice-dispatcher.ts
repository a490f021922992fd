import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { jobId, Outbox, type Tx } from '#libs/core';
import type { Organization } from '#libs/registry';
import { WebhookService, type WebhookEventType } from '#libs/webhooks';
import type { Composed } from './email-content.js';
import { NoticeRepository } from './notice.repository.js';

/** The e-mail addresses of an organization's contacts, each once. */
export function recipientsOf(org: Pick<Organization, 'contacts'>): string[] {
  return [...new Set(org.contacts.map((c) => c.email?.trim()).filter((e): e is string => !!e))];
}

/**
 * The sending half of every notice, in the caller's transaction: the e-mail's delivery row and its
 * job (through the outbox, so both commit with the notice) and the webhook event to the
 * organization's subscribed endpoints (signed and retried by libs/webhooks). An organization without
 * a contact e-mail gets the row marked failed (`no_recipient`), so the log shows who was not reached.
 */
@Injectable()
export class NoticeDispatcher {
  constructor(
    private readonly repository: NoticeRepository,
    private readonly outbox: Outbox,
    private readonly webhooks: WebhookService,
  ) {}

  async dispatch(
    tx: Tx,
    notice: { id: string; organization: Organization; content: Record<string, unknown> },
    mail: Composed,
    webhook: { type: WebhookEventType; data: Record<string, unknown> },
  ): Promise<void> {
    const recipients = recipientsOf(notice.organization);
    const id = randomUUID();
    await this.repository.insertEmail(tx, {
      id,
      noticeId: notice.id,
      recipients,
      subject: mail.subject,
      body: mail.text,
      ...(recipients.length ? {} : { state: 'failed', lastError: 'no_recipient', settledAt: new Date() }),
    });
    if (recipients.length) await this.outbox.add(tx, 'notice.email', { deliveryId: id }, jobId('notice-email', id));
    const webhookDeliveries = await this.webhooks.publish(tx, notice.organization.id, webhook.type, webhook.data);
    await this.repository.updateNotice(tx, notice.id, { content: notice.content, webhookDeliveries });
  }
}
