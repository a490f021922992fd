import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ENV, type Env, type Tx, UnitOfWork } from '#libs/core';
import { type DueItemView, InstrumentService, OrganizationService, todayInVietnam } from '#libs/registry';
import { composeRecallEmail, type RecallLine } from './email-content.js';
import { RECALL_SERVICES, type RecallPeriod } from './notice.entities.js';
import { NoticeDispatcher } from './notice-dispatcher.js';
import { NoticeRepository } from './notice.repository.js';
import { RECALL_HORIZON_DAYS, recallPeriod } from './recall-period.js';

const PAGE = 200;

interface Group {
  organizationId: string;
  period: RecallPeriod;
  items: DueItemView[];
}

export function publicBase(env: Env): string {
  return (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
}

function placeOfUse(i: DueItemView): string {
  return [i.siteName, i.streetAddress, i.commune?.name, i.province?.name].filter(Boolean).join(', ');
}

function line(i: DueItemView): RecallLine {
  return {
    instrumentId: i.id,
    typeName: i.instrumentType.nameVi,
    serialNumber: i.serialNumber,
    placeOfUse: placeOfUse(i),
    service: i.service,
    nextDueDate: i.nextDueDate,
    daysUntilDue: i.daysUntilDue,
  };
}

/**
 * The recall scan (thông báo đến hạn): reads the registry's due lists 60 days ahead — verification
 * (the legal next due date) and calibration (the last calibration + the interval its owner chose) —,
 * puts each instrument in its period, groups by (owner, period), leaves out the organizations that
 * opted out, and sends each group one notice — e-mail and `instrument.due` webhook, each line naming
 * its service — in one transaction per group. The recall_notice_item key (instrument, service, due
 * date, period) makes a second scan, or a concurrent one, send nothing for what was already sent.
 */
@Injectable()
export class RecallNoticeService {
  private readonly logger = new Logger('RecallNotices');

  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly instruments: InstrumentService,
    private readonly organizations: OrganizationService,
    private readonly repository: NoticeRepository,
    private readonly dispatcher: NoticeDispatcher,
    private readonly uow: UnitOfWork,
  ) {}

  async scan(asOf: string = todayInVietnam()): Promise<{ asOf: string; notices: number; instruments: number }> {
    const groups = await this.groups(asOf);
    const optedOut = await this.repository.optedOut([...new Set(groups.map((g) => g.organizationId))]);
    let notices = 0;
    let instruments = 0;
    for (const group of groups) {
      if (optedOut.has(group.organizationId)) continue;
      const sent = await this.uow.run((tx) => this.send(tx, group));
      if (sent > 0) notices++;
      instruments += sent;
    }
    this.logger.log(`recall scan as of ${asOf}: ${notices} notices, ${instruments} instruments`);
    return { asOf, notices, instruments };
  }

  /** Both due lists 60 days ahead (every page), grouped by owner and period. */
  private async groups(asOf: string): Promise<Group[]> {
    const groups = new Map<string, Group>();
    for (const service of RECALL_SERVICES) {
      let cursor: string | undefined;
      do {
        const page = await this.instruments.due({ within: RECALL_HORIZON_DAYS, asOf, limit: PAGE, cursor, service });
        for (const item of page.items) {
          const period = item.overdue ? 'overdue' : recallPeriod(item.daysUntilDue);
          if (!period) continue;
          const key = `${item.owner.id}/${period}`;
          const group = groups.get(key) ?? { organizationId: item.owner.id, period, items: [] };
          group.items.push(item);
          groups.set(key, group);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return [...groups.values()];
  }

  /** One notice for the group's instruments not yet notified for this period; returns how many it names. */
  private async send(tx: Tx, group: Group): Promise<number> {
    const organization = await this.organizations.lookup(tx, group.organizationId);
    if (!organization?.active) return 0;
    const noticeId = randomUUID();
    await this.repository.insertNotice(tx, {
      id: noticeId,
      kind: 'recall',
      organizationId: group.organizationId,
      period: group.period,
      findingId: null,
      content: {},
      webhookDeliveries: 0,
    });
    const claimed = await this.repository.claimRecall(
      tx,
      noticeId,
      group.period,
      group.items.map((i) => ({ instrumentId: i.id, service: i.service, dueDate: i.nextDueDate })),
    );
    if (claimed.size === 0) {
      await this.repository.deleteNotice(tx, noticeId);
      return 0;
    }
    const lines = group.items.filter((i) => claimed.has(`${i.service}/${i.id}`)).map(line);
    const base = publicBase(this.env);
    const requestBody = {
      place: 'on_site',
      items: lines.map((l) => ({
        instrumentId: l.instrumentId,
        service: l.service === 'calibration' ? 'calibration' : 'verification_periodic',
      })),
    };
    const content = { period: group.period, instruments: lines, requestBody };
    const mail = composeRecallEmail({
      laboratory: this.env.LABORATORY_NAME,
      organizationName: organization.name,
      period: group.period,
      lines,
      noticeUrl: `${base}/notices/${noticeId}`,
      requestsUrl: `${base}/requests`,
    });
    await this.dispatcher.dispatch(tx, { id: noticeId, organization, content }, mail, {
      type: 'instrument.due',
      data: { noticeId, ...content },
    });
    return lines.length;
  }
}
