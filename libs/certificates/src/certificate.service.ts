import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  jobId,
  JobQueue,
  NotFoundError,
  organizationScope,
  Outbox,
  QueueUnavailableError,
  toPage,
  UnprocessableError,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { CertificateModelError, sha256 } from '#libs/documents';
import { Certificate, VerificationStamp } from './certificate.entity.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificateSettings } from './certificate-settings.js';
import { PublicCertificateService } from './public/public-certificate.service.js';
import { CertificateSourceError, type CertificateDraft } from './certificate-source.js';
import type {
  AmendCertificateDto,
  CertificateQuery,
  CertificateView,
  RevokeCertificateDto,
} from './dto/certificate.dto.js';
import type { CertificateIssueView } from './dto/certificate-issue.dto.js';
import { AmendmentConflict, CertificateIssuer } from './issuing/certificate-issuer.service.js';
import { issueStatus } from './issuing/issue-status.js';
import { vietnamDate } from './numbering/numbering.js';
import { CertificateRevoker } from './revocation/certificate-revoker.service.js';
import { certificateStatus } from './status.js';
import { CERTIFICATE_STORAGE, type CertificateStorage } from './storage/certificate-storage.js';

/** The relatives a certificate's view names: its successor, the one it replaces, its stamp. */
interface Relatives {
  successors: Map<string, Certificate>;
  replaced: Map<string, Certificate>;
  stamps: Map<string, VerificationStamp>;
}

export interface CertificateFile {
  bytes: Buffer;
  fileName: string;
}

/** Certificates for staff and customers: lists, details, the PDF, revocation and amendment. */
@Injectable()
export class CertificateService {
  private readonly logger = new Logger('Certificates');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: CertificateSettings,
    private readonly issuer: CertificateIssuer,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    @Inject(CERTIFICATE_STORAGE) private readonly storage: CertificateStorage,
    private readonly publicLookups: PublicCertificateService,
    private readonly revoker: CertificateRevoker,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
    private readonly certificates: CertificateRepository,
  ) {}

  /** A revocation or an amendment: once it commits, the next public lookups read the database. */
  private forgetLookupsAfterCommit(tx: Tx): void {
    tx.afterCommit(() => this.publicLookups.forget());
  }

  async list(query: CertificateQuery, principal: Principal): Promise<Page<CertificateView>> {
    const rows = await this.certificates.list({ ...query, scope: organizationScope(principal) });
    const relatives = await this.relatives(rows);
    return toPage(
      rows,
      query.limit,
      (c) => [c.issuedAt.toISOString(), c.id],
      (c) => this.toView(c, relatives),
    );
  }

  async get(id: string, principal: Principal): Promise<CertificateView> {
    const c = await this.find(id, principal);
    return this.toView(c, await this.relatives([c]));
  }

  /** Another organization's certificate answers 404, exactly like a missing one. */
  async find(id: string, principal?: Principal): Promise<Certificate> {
    const scope = organizationScope(principal);
    // The owner does not find what is withheld from it (an inspector's sample not released yet).
    const found = await this.db
      .getRepository(Certificate)
      .findOneBy(scope ? { id, organizationId: scope, withheldFromOwner: false } : { id });
    if (!found) throw new NotFoundError('certificate', id);
    return found;
  }

  /** The signed PDF as issued; its hash is checked against the one recorded at issue. */
  async file(id: string, principal: Principal): Promise<CertificateFile> {
    const c = await this.find(id, principal);
    const bytes = await this.storage.get(c.storageKey);
    if (sha256(bytes) !== c.sha256) {
      this.logger.error(`stored file of ${c.number} (${c.storageKey}) does not match its recorded SHA-256`);
      throw new Error(`stored file of certificate ${c.number} is corrupt`);
    }
    return { bytes, fileName: `${c.number}.pdf` };
  }

  async revoke(id: string, dto: RevokeCertificateDto, principal: Principal): Promise<CertificateView> {
    if (principal.kind !== 'staff') throw new NotFoundError('certificate', id);
    await this.uow.run(async (tx) => {
      this.forgetLookupsAfterCommit(tx);
      await this.revoker.revoke(tx, id, dto.reason, principal);
    });
    return this.get(id, principal);
  }

  /**
   * ISO/IEC 17025 7.8.8: issues the replacement of a current certificate, with a new number, naming
   * the replaced one and the reason. From a corrected, approved revision of the same result, or
   * (no revision given) re-issued from the replaced certificate's own revision, e.g. after the
   * customer's details were corrected. Runs in the request: a reviewer waits for the new number.
   */
  async amend(id: string, dto: AmendCertificateDto, principal: Principal): Promise<CertificateView> {
    if (principal.kind !== 'staff') throw new NotFoundError('certificate', id);
    const old = await this.find(id);
    const revisionId = dto.resultRevisionId ?? old.resultRevisionId;
    let draft: CertificateDraft;
    try {
      draft = await this.issuer.draft(revisionId);
    } catch (e) {
      if (e instanceof CertificateSourceError) {
        throw new UnprocessableError('certificate.revision_unusable', e.message, {
          errors: [{ field: 'resultRevisionId', message: e.message }],
        });
      }
      throw e;
    }
    if (draft.resultId !== old.resultId) {
      throw new UnprocessableError(
        'certificate.amend_other_result',
        `Revision ${revisionId} is not a revision of the result certificate ${old.number} reports`,
        { errors: [{ field: 'resultRevisionId', message: 'must be a revision of the same result' }] },
      );
    }
    try {
      const issued = await this.uow.run(async (tx) => {
        this.forgetLookupsAfterCommit(tx);
        return this.issuer.issueAmendment(tx, draft, {
          replaces: old,
          reason: dto.reason,
          by: { userId: principal.userId, fullName: principal.fullName, username: principal.username },
        });
      });
      return this.get(issued.id, principal);
    } catch (e) {
      if (e instanceof AmendmentConflict) throw new ConflictError('certificate.not_current', e.message);
      if (e instanceof CertificateModelError) {
        throw new UnprocessableError('certificate.model_invalid', e.message, {
          errors: [{ field: `certificate.${e.field}`, message: e.message }],
        });
      }
      throw e;
    }
  }

  /** Where the issue of a revision's certificate stands: issued, still on the queue, failed, or waiting for an amendment. */
  async issueState(resultRevisionId: string, principal: Principal): Promise<CertificateIssueView> {
    const scope = organizationScope(principal);
    const repo = this.db.getRepository(Certificate);
    const certificate = (await repo.findOne({ where: { resultRevisionId }, order: { issuedAt: 'ASC' } })) ?? undefined;
    if (certificate) {
      if (scope && (certificate.organizationId !== scope || certificate.withheldFromOwner))
        throw new NotFoundError('result revision', resultRevisionId);
      return {
        resultRevisionId,
        status: 'issued',
        certificate: this.toView(certificate, await this.relatives([certificate])),
        current: null,
        job: null,
      };
    }
    if (scope) {
      // A business may follow only its own results; the source knows whose a revision is.
      const draft = await this.issuer.draft(resultRevisionId).catch(() => undefined);
      if (!draft || draft.organizationId !== scope || draft.withheldFromOwner)
        throw new NotFoundError('result revision', resultRevisionId);
    }
    const id = jobId('certificate', resultRevisionId);
    const asked = await this.outbox.latest(id);
    if (!asked) return { resultRevisionId, status: 'not_requested', certificate: null, current: null, job: null };
    const job = asked.dispatched ? await this.issueJob(id) : undefined;
    return {
      resultRevisionId,
      certificate: null,
      ...issueStatus(asked, job && { state: job.state, returnvalue: job.job.returnvalue }),
      job: job
        ? { state: job.state, attemptsMade: job.job.attemptsMade, failedReason: job.job.failedReason ?? null }
        : null,
    };
  }

  /** The issue's job as the queue has it; undefined when the queue has none or does not answer in time. */
  private async issueJob(id: string) {
    try {
      // State first, then the job: a job fetched before it completed would carry no return value yet.
      const state = await this.jobs.state('certificate.issue', id);
      const job = state === 'unknown' ? undefined : await this.jobs.job('certificate.issue', id);
      return job ? { state: String(state), job } : undefined;
    } catch (e) {
      if (e instanceof QueueUnavailableError) return undefined;
      throw e;
    }
  }

  private async relatives(rows: Certificate[]): Promise<Relatives> {
    const ids = rows.map((r) => r.id);
    const replacedIds = rows.flatMap((r) => (r.replacesId ? [r.replacesId] : []));
    const repo = this.db.getRepository(Certificate);
    const [successors, replaced, stamps] = await Promise.all([
      ids.length ? repo.findBy({ replacesId: In(ids) }) : [],
      replacedIds.length ? repo.findBy({ id: In(replacedIds) }) : [],
      ids.length ? this.db.getRepository(VerificationStamp).findBy({ certificateId: In(ids) }) : [],
    ]);
    return {
      successors: new Map(successors.map((s) => [s.replacesId!, s])),
      replaced: new Map(replaced.map((r) => [r.id, r])),
      stamps: new Map(stamps.map((s) => [s.certificateId, s])),
    };
  }

  private toView(c: Certificate, relatives: Relatives): CertificateView {
    const successor = relatives.successors.get(c.id);
    const replaced = c.replacesId ? relatives.replaced.get(c.replacesId) : undefined;
    const stamp = relatives.stamps.get(c.id);
    return {
      id: c.id,
      number: c.number,
      kind: c.kind,
      service: c.service,
      status: certificateStatus(
        { kind: c.kind, revokedAt: c.revokedAt, superseded: successor !== undefined, validUntil: c.validUntil },
        vietnamDate(new Date()),
      ),
      outcome: c.outcome,
      measurementDate: c.measurementDate,
      issueDate: c.issueDate,
      validUntil: c.validUntil,
      issuedAt: c.issuedAt.toISOString(),
      resultRevisionId: c.resultRevisionId,
      resultId: c.resultId,
      requestItemId: c.requestItemId,
      organizationId: c.organizationId,
      ownerName: c.ownerName,
      instrumentId: c.instrumentId,
      item: { typeName: c.itemTypeName, serial: c.itemSerial },
      laboratoryName: c.laboratoryName,
      stamp: stamp ? { serial: stamp.serial, validUntil: stamp.validUntil } : null,
      file: { sha256: c.sha256, byteSize: c.byteSize, downloadUrl: `/certificates/${c.id}/pdf` },
      verificationUrl: this.settings.verificationUrl(c.number),
      replaces: replaced ? { id: replaced.id, number: replaced.number, reason: c.amendmentReason ?? '' } : null,
      supersededBy: successor ? { id: successor.id, number: successor.number } : null,
      revocation: c.revokedAt ? { revokedAt: c.revokedAt.toISOString(), reason: c.revocationReason ?? '' } : null,
      withheldFromOwner: c.withheldFromOwner,
    };
  }
}
