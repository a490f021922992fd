import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  jobId,
  JobQueue,
  NotFoundError,
  organizationScope,
  toPage,
  type Page,
  type Principal,
  UnitOfWork,
} from '#libs/core';
import { OrganizationService } from '#libs/registry';
import type {
  EmailDeliveryView,
  NoticePreferenceView,
  NoticeQuery,
  NoticeView,
  RecallScanQueuedView,
} from './dto/notice.dto.js';
import type { EmailDelivery, Notice } from './notice.entities.js';
import { NoticeRepository } from './notice.repository.js';

function emailView(e: EmailDelivery): EmailDeliveryView {
  return {
    id: e.id,
    recipients: e.recipients,
    subject: e.subject,
    state: e.state,
    attempts: e.attempts,
    nextAttemptAt: e.nextAttemptAt?.toISOString() ?? null,
    lastError: e.lastError,
    createdAt: e.createdAt.toISOString(),
    settledAt: e.settledAt?.toISOString() ?? null,
  };
}

function noticeView(n: Notice, emails: EmailDelivery[]): NoticeView {
  return {
    id: n.id,
    kind: n.kind,
    organizationId: n.organizationId,
    period: n.period,
    findingId: n.findingId,
    content: n.content,
    webhookDeliveries: n.webhookDeliveries,
    emails: emails.filter((e) => e.noticeId === n.id).map(emailView),
    createdAt: n.createdAt.toISOString(),
  };
}

/** The notices sent (with their e-mail delivery log), the opt-out, and running the recall scan now. */
@Injectable()
export class NoticeService {
  constructor(
    private readonly repository: NoticeRepository,
    private readonly organizations: OrganizationService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
  ) {}

  async list(query: NoticeQuery, principal: Principal): Promise<Page<NoticeView>> {
    const scope = organizationScope(principal);
    const rows = await this.repository.list({ ...query, organization: scope ?? query.organization });
    const emails = await this.repository.emailsOf(rows.slice(0, query.limit).map((n) => n.id));
    return toPage(
      rows,
      query.limit,
      (n) => [n.createdAt.toISOString(), n.id],
      (n) => noticeView(n, emails),
    );
  }

  /** A business sees its own notices only; another's answers 404 like a missing one. */
  async get(id: string, principal: Principal): Promise<NoticeView> {
    const scope = organizationScope(principal);
    const notice = await this.repository.notice(id);
    if (!notice || (scope && notice.organizationId !== scope)) throw new NotFoundError('notice', id);
    return noticeView(notice, await this.repository.emailsOf([id]));
  }

  async preference(organizationId: string, principal: Principal): Promise<NoticePreferenceView> {
    await this.organizations.find(organizationId, principal);
    return { organizationId, recallNotices: await this.repository.preference(undefined, organizationId) };
  }

  /** Opt in or out of recall notices (staff, or the business itself); audited with before and after. */
  async setPreference(
    organizationId: string,
    recallNotices: boolean,
    principal: Principal,
  ): Promise<NoticePreferenceView> {
    await this.organizations.find(organizationId, principal);
    return this.uow.run(async (tx) => {
      const before = { organizationId, recallNotices: await this.repository.preference(tx, organizationId) };
      await this.repository.setPreference(tx, organizationId, recallNotices);
      const after = { organizationId, recallNotices };
      await this.audit.record(tx, {
        actor: principal as AuditActor,
        entity: 'notice_preference',
        entityId: organizationId,
        action: 'update',
        before,
        after,
      });
      return after;
    });
  }

  /** Queues a recall scan now (the daily one runs from the job scheduler); 503 when the queue does not answer. */
  async scanNow(asOf: string | undefined): Promise<RecallScanQueuedView> {
    const id = jobId('recall-scan', randomUUID());
    await this.jobs.enqueue('notice.recall_scan', asOf ? { asOf } : {}, { jobId: id });
    return { jobId: id };
  }
}
