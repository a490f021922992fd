import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail, type AuditActor } from '#libs/audit';
import { TraceabilityService } from '#libs/calibration';
import { CertificateRegister, type Certificate } from '#libs/certificates';
import {
  ConflictError,
  ENV,
  type Env,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
  type Principal,
  type Tx,
  UnitOfWork,
  UnprocessableError,
} from '#libs/core';
import { OrganizationService, StandardService } from '#libs/registry';
import type {
  CertificateDecisionDto,
  CreateFindingDto,
  FindingCertificateView,
  FindingView,
} from './dto/notice.dto.js';
import { composeOutOfToleranceEmail, type CertificateLine } from './email-content.js';
import type { FindingCertificate, StandardFinding } from './notice.entities.js';
import { NoticeDispatcher } from './notice-dispatcher.js';
import { NoticeRepository } from './notice.repository.js';

const PAGE = 200;

function certificateView(c: FindingCertificate): FindingCertificateView {
  return {
    certificateId: c.certificateId,
    certificateNumber: c.certificateNumber,
    organizationId: c.organizationId,
    measurementDate: c.measurementDate,
    decision: c.decision,
    decisionNote: c.decisionNote,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

function actorName(p: Principal): string {
  return p.kind === 'staff' ? p.username : `organization ${p.organizationId}`;
}

/**
 * Reverse-traceability notices. The centre records that a standard was found out of tolerance (a
 * failed intermediate check, or a calibration that found it so); the certificates issued from
 * results that used it since its last good check are listed (calibration's reverse traceability,
 * then the certificates of the approved revisions), each affected customer gets ONE notice naming
 * its certificates (e-mail + `standard.out_of_tolerance` webhook; a unique key per finding and
 * customer), and the centre records a decision per certificate, audited.
 */
@Injectable()
export class OutOfToleranceService {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly standards: StandardService,
    private readonly traceability: TraceabilityService,
    private readonly certificates: CertificateRegister,
    private readonly organizations: OrganizationService,
    private readonly repository: NoticeRepository,
    private readonly dispatcher: NoticeDispatcher,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async record(standardId: string, dto: CreateFindingDto, principal: Principal): Promise<FindingView> {
    const standard = await this.standards.find(standardId);
    const evidence = await this.standards.evidence(standardId, dto.source, dto.evidenceId);
    if (!evidence || (dto.source === 'intermediate_check' && evidence.passed !== false))
      throw new UnprocessableError(
        'standard_finding.bad_evidence',
        `evidenceId must be a failed intermediate check or a calibration of standard ${standard.code}`,
        { errors: [{ field: 'evidenceId', message: 'not a failed check or a calibration of this standard' }] },
      );
    const periodFrom = await this.standards.lastGoodBefore(standardId, evidence.date);
    const certificates = await this.affectedCertificates(standardId, periodFrom, evidence.date);
    const id = randomUUID();
    const finding: Omit<StandardFinding, 'createdAt'> = {
      id,
      standardId,
      source: dto.source,
      evidenceId: dto.evidenceId,
      foundOn: evidence.date,
      periodFrom,
      reason: dto.reason,
      recordedBy: actorName(principal),
    };
    await this.uow.run(async (tx) => {
      await this.insertFinding(tx, finding, certificates);
      for (const [organizationId, own] of groupBy(certificates, (c) => c.organizationId))
        await this.notify(tx, finding, standard.name, organizationId, own);
      await this.audit.record(tx, {
        actor: principal as AuditActor,
        entity: 'standard_finding',
        entityId: id,
        action: 'create',
        after: { ...finding, certificates: certificates.map((c) => c.number) },
      });
    });
    return this.get(standardId, id);
  }

  async get(standardId: string, id: string): Promise<FindingView> {
    const finding = await this.repository.finding(undefined, id);
    if (!finding || finding.standardId !== standardId) throw new NotFoundError('standard_finding', id);
    const certificates = await this.repository.findingCertificates(undefined, id);
    const notices = await this.repository.list({ limit: 10_000, finding: id });
    return {
      ...finding,
      createdAt: finding.createdAt.toISOString(),
      certificates: certificates.map(certificateView),
      notices: notices.length,
    };
  }

  /** The centre's decision on one certificate of the finding (no impact / recall / re-issue); audited. */
  async decide(
    standardId: string,
    findingId: string,
    certificateId: string,
    dto: CertificateDecisionDto,
    principal: Principal,
  ): Promise<FindingCertificateView> {
    return this.uow.run(async (tx) => {
      const finding = await this.repository.finding(tx, findingId);
      if (!finding || finding.standardId !== standardId) throw new NotFoundError('standard_finding', findingId);
      const row = await this.repository.lockedFindingCertificate(tx, findingId, certificateId);
      if (!row) throw new NotFoundError('finding_certificate', certificateId);
      const before = certificateView(row);
      Object.assign(row, {
        decision: dto.decision,
        decisionNote: dto.note ?? null,
        decidedBy: actorName(principal),
        decidedAt: new Date(),
      });
      await this.repository.saveFindingCertificate(tx, row);
      const after = certificateView(row);
      await this.audit.record(tx, {
        actor: principal as AuditActor,
        entity: 'finding_certificate',
        entityId: `${findingId}/${certificateId}`,
        action: 'decide',
        before,
        after,
      });
      return after;
    });
  }

  /** Certificates (not revoked) of approved results that used the standard from `from` to `to`. */
  private async affectedCertificates(standardId: string, from: string | null, to: string): Promise<Certificate[]> {
    const revisions: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.traceability.affected(standardId, {
        limit: PAGE,
        cursor,
        ...(from ? { from } : {}),
        to,
      });
      for (const r of page.items) revisions.push(...r.approvedRevisionIds);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return this.certificates.issuedFromRevisions(revisions);
  }

  private async insertFinding(
    tx: Tx,
    finding: Omit<StandardFinding, 'createdAt'>,
    certificates: Certificate[],
  ): Promise<void> {
    try {
      await this.repository.insertFinding(tx, finding);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION)
        throw new ConflictError('standard_finding.duplicate', 'A finding on this evidence is recorded already');
      throw e;
    }
    await this.repository.insertFindingCertificates(
      tx,
      certificates.map((c) => ({
        findingId: finding.id,
        certificateId: c.id,
        certificateNumber: c.number,
        organizationId: c.organizationId,
        measurementDate: c.measurementDate,
      })),
    );
  }

  /** One notice to one customer naming its certificates. */
  private async notify(
    tx: Tx,
    finding: Omit<StandardFinding, 'createdAt'>,
    standardName: string,
    organizationId: string,
    certificates: Certificate[],
  ): Promise<void> {
    const organization = await this.organizations.lookup(tx, organizationId);
    if (!organization) return;
    const lines: CertificateLine[] = certificates.map((c) => ({
      certificateId: c.id,
      number: c.number,
      measurementDate: c.measurementDate,
      item: `${c.itemTypeName}, ${c.itemSerial}`,
    }));
    const noticeId = randomUUID();
    const content = { findingId: finding.id, standard: standardName, foundOn: finding.foundOn, certificates: lines };
    await this.repository.insertNotice(tx, {
      id: noticeId,
      kind: 'out_of_tolerance',
      organizationId,
      period: null,
      findingId: finding.id,
      content,
      webhookDeliveries: 0,
    });
    const mail = composeOutOfToleranceEmail({
      laboratory: this.env.LABORATORY_NAME,
      organizationName: organization.name,
      standardName,
      foundOn: finding.foundOn,
      lines,
    });
    await this.dispatcher.dispatch(tx, { id: noticeId, organization, content }, mail, {
      type: 'standard.out_of_tolerance',
      data: { noticeId, ...content },
    });
  }
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}
