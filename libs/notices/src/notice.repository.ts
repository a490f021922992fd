import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, type Tx } from '#libs/core';
import {
  EmailDelivery,
  FindingCertificate,
  Notice,
  type NoticeKind,
  type RecallPeriod,
  type RecallService,
  StandardFinding,
} from './notice.entities.js';

/** What sending changes on a delivery row. */
export type EmailChanges = Partial<
  Pick<EmailDelivery, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'messageId' | 'settledAt'>
>;

export interface NoticeFilter {
  limit: number;
  cursor?: string;
  organization?: string;
  kind?: NoticeKind;
  finding?: string;
}

/** The SQL of the notices aggregate: notices, the recall key, e-mail deliveries, findings. */
@Injectable()
export class NoticeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Organizations among `ids` that opted out of recall notices. */
  async optedOut(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT organization_id FROM notice_preference WHERE organization_id = ANY($1::uuid[]) AND NOT recall_notices`,
      [ids],
    )) as { organization_id: string }[];
    return new Set(rows.map((r) => r.organization_id));
  }

  async preference(tx: Tx | undefined, organizationId: string): Promise<boolean> {
    const rows = (await (tx?.manager ?? this.db.manager).query(
      `SELECT recall_notices FROM notice_preference WHERE organization_id = $1`,
      [organizationId],
    )) as { recall_notices: boolean }[];
    return rows[0]?.recall_notices ?? true;
  }

  async setPreference(tx: Tx, organizationId: string, recallNotices: boolean): Promise<void> {
    await tx.manager.query(
      `INSERT INTO notice_preference (organization_id, recall_notices, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (organization_id) DO UPDATE SET recall_notices = EXCLUDED.recall_notices, updated_at = now()`,
      [organizationId, recallNotices],
    );
  }

  async insertNotice(tx: Tx, n: Omit<Notice, 'createdAt' | 'finding'>): Promise<void> {
    await tx.manager.query(
      `INSERT INTO notice (id, kind, organization_id, period, finding_id, content, webhook_deliveries)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
      [n.id, n.kind, n.organizationId, n.period, n.findingId, JSON.stringify(n.content), n.webhookDeliveries],
    );
  }

  /**
   * Claims (instrument, service, due date, period) for the notice; the primary key makes a second
   * claim (by this scan or a concurrent one) a no-op. Returns what was claimed now, as `service/instrument`.
   */
  async claimRecall(
    tx: Tx,
    noticeId: string,
    period: RecallPeriod,
    items: { instrumentId: string; service: RecallService; dueDate: string }[],
  ): Promise<Set<string>> {
    const rows = (await tx.manager.query(
      `INSERT INTO recall_notice_item (instrument_id, service, due_date, period, notice_id)
       SELECT i, s, d, $4, $5 FROM unnest($1::uuid[], $2::text[], $3::date[]) AS x(i, s, d)
       ON CONFLICT DO NOTHING RETURNING instrument_id, service`,
      [items.map((i) => i.instrumentId), items.map((i) => i.service), items.map((i) => i.dueDate), period, noticeId],
    )) as { instrument_id: string; service: string }[];
    return new Set(rows.map((r) => `${r.service}/${r.instrument_id}`));
  }

  async deleteNotice(tx: Tx, id: string): Promise<void> {
    await tx.manager.delete(Notice, { id });
  }

  async updateNotice(tx: Tx, id: string, changes: Pick<Notice, 'content' | 'webhookDeliveries'>): Promise<void> {
    await tx.manager.query(`UPDATE notice SET content = $2::jsonb, webhook_deliveries = $3 WHERE id = $1`, [
      id,
      JSON.stringify(changes.content),
      changes.webhookDeliveries,
    ]);
  }

  async insertEmail(
    tx: Tx,
    email: Pick<EmailDelivery, 'id' | 'noticeId' | 'recipients' | 'subject' | 'body'> & EmailChanges,
  ): Promise<void> {
    await tx.manager.insert(EmailDelivery, email);
  }

  email(id: string): Promise<EmailDelivery | null> {
    return this.db.getRepository(EmailDelivery).findOneBy({ id });
  }

  async pendingEmails(ids: readonly string[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      `SELECT id FROM email_delivery WHERE id = ANY($1::uuid[]) AND state = 'pending'`,
      [ids],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  async updateEmail(id: string, changes: EmailChanges): Promise<void> {
    await this.db.getRepository(EmailDelivery).update({ id }, changes);
  }

  /** A page of notices, newest first (one more than the limit). */
  list(filter: NoticeFilter): Promise<Notice[]> {
    const qb = this.db
      .getRepository(Notice)
      .createQueryBuilder('n')
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .take(filter.limit + 1);
    if (filter.organization) qb.andWhere('n.organization_id = :o', { o: filter.organization });
    if (filter.kind) qb.andWhere('n.kind = :k', { k: filter.kind });
    if (filter.finding) qb.andWhere('n.finding_id = :f', { f: filter.finding });
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, ['timestamptz', 'uuid']);
      qb.andWhere('(n.created_at, n.id) < (:createdAt, :id)', { createdAt, id });
    }
    return qb.getMany();
  }

  notice(id: string): Promise<Notice | null> {
    return this.db.getRepository(Notice).findOneBy({ id });
  }

  emailsOf(noticeIds: readonly string[]): Promise<EmailDelivery[]> {
    if (noticeIds.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(EmailDelivery)
      .createQueryBuilder('e')
      .where('e.notice_id IN (:...ids)', { ids: [...noticeIds] })
      .orderBy('e.created_at')
      .getMany();
  }

  async insertFinding(tx: Tx, finding: Omit<StandardFinding, 'createdAt'>): Promise<void> {
    await tx.manager.insert(StandardFinding, finding);
  }

  finding(tx: Tx | undefined, id: string): Promise<StandardFinding | null> {
    return (tx?.manager ?? this.db.manager).getRepository(StandardFinding).findOneBy({ id });
  }

  async insertFindingCertificates(
    tx: Tx,
    rows: Omit<FindingCertificate, 'finding' | 'decision' | 'decisionNote' | 'decidedBy' | 'decidedAt'>[],
  ): Promise<void> {
    if (rows.length) await tx.manager.insert(FindingCertificate, rows);
  }

  findingCertificates(tx: Tx | undefined, findingId: string): Promise<FindingCertificate[]> {
    return (tx?.manager ?? this.db.manager)
      .getRepository(FindingCertificate)
      .find({ where: { findingId }, order: { organizationId: 'ASC', certificateNumber: 'ASC' } });
  }

  lockedFindingCertificate(tx: Tx, findingId: string, certificateId: string): Promise<FindingCertificate | null> {
    return tx.manager
      .getRepository(FindingCertificate)
      .findOne({ where: { findingId, certificateId }, lock: { mode: 'pessimistic_write' } });
  }

  async saveFindingCertificate(tx: Tx, row: FindingCertificate): Promise<void> {
    await tx.manager.getRepository(FindingCertificate).save(row);
  }
}
