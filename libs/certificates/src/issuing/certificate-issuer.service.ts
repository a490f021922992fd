import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail, type AuditEntry } from '#libs/audit';
import { type Tx, UnitOfWork } from '#libs/core';
import {
  isVerificationKind,
  validateCertificateModel,
  type CertificateKind,
  type CertificateModel,
} from '#libs/documents';
import { InstrumentService } from '#libs/registry';
import { RequestItemWorkflow } from '#libs/requests';
import { WebhookService } from '#libs/webhooks';
import { Certificate } from '../certificate.entity.js';
import { CertificateSettings } from '../certificate-settings.js';
import { readStanding } from '../certificate-standing.js';
import { currentAmong } from '../status.js';
import {
  CERTIFICATE_SOURCE,
  CertificateSourceError,
  verificationTypeOf,
  type CertificateDraft,
  type CertificateSource,
} from '../certificate-source.js';
import { documentKindOf, failureNoticeContent } from './failure-notice.js';
import {
  formatCertificateNumber,
  formatStampSerial,
  seriesYear,
  vietnamDate,
  type SeriesKind,
} from '../numbering/numbering.js';
import { NumberForecast } from '../numbering/number-forecast.js';
import { CertificateSeriesRepository } from '../numbering/certificate-series.repository.js';
import { CertificateRepository } from '../certificate.repository.js';
import { CERTIFICATE_STORAGE, storageKeyFor, type CertificateStorage } from '../storage/certificate-storage.js';
import { CertificateRenderer } from './certificate-renderer.js';

export type IssueOutcome =
  | { status: 'issued'; certificate: Certificate }
  /** A retry, a duplicate job, or a job that ran after an amendment issued this revision. */
  | { status: 'exists'; certificate: Certificate }
  /** An earlier revision of the result has a current certificate: only an amendment may replace it. */
  | { status: 'amendment_required'; current: Certificate };

export interface Amendment {
  replaces: Certificate;
  reason: string;
  by: { userId: string; fullName: string; username: string };
}

const QUEUE_ACTOR: AuditEntry['actor'] = { kind: 'system', name: 'certificate queue' };

/**
 * Issues certificates — and, for a verification that did not pass, a notice of failed verification
 * (kind verification_failure, series TBKĐ, no stamp, no validity; the same `certificate.issued`
 * webhook with that kind, so subscribers keep one event per document) — each in ONE transaction that:
 *   1. serialises on the result revision (advisory lock) and finds an existing certificate — a
 *      retried or duplicated job stops here;
 *   2. locks the instrument, takes the next number of the series (kind × year) and, for a passed
 *      verification, the next stamp serial;
 *   3. records the service and the number on the instrument, whose next due date becomes the
 *      certificate's and the stamp's validity;
 *   4. renders the PDF with that number (QR included), signs it and hashes it in a render thread
 *      (CertificateRenderer), the transaction waiting open on this thread, and stores the file under
 *      its SHA-256 — or uses the file drawn ahead (below) when it was drawn from exactly this model;
 *   5. inserts the certificate (and stamp) rows, the `certificate.issued` webhook deliveries and the
 *      audit entry; then commits.
 * The number has to be printed, and it is taken in the committing transaction, so issues of one series
 * run one at a time from their number to their commit (other series in parallel). To keep that short,
 * an issue that waits for its series, with render threads, draws, signs and stores its document with
 * the numbers it expects to take meanwhile (NumberForecast: this process's last number plus its issues
 * queued ahead, which the series statement serves in the order they asked); once it has its numbers it
 * keeps that file only if the model drawn is the model with the numbers taken (deep-equal), and
 * otherwise draws it again, ahead of the other drawings waiting. Any failure — a crash, a storage
 * error, a rejected model — rolls everything back, the number included, so numbers stay gapless. A
 * stored file whose transaction rolled back, or drawn ahead with numbers not taken, is an unreferenced
 * orphan under a content address that no certificate names; it is never served, and the worker's
 * StoredFileSweeper removes it after its grace period.
 */
@Injectable()
export class CertificateIssuer {
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly settings: CertificateSettings,
    @Inject(CERTIFICATE_STORAGE) private readonly storage: CertificateStorage,
    private readonly instruments: InstrumentService,
    private readonly webhooks: WebhookService,
    private readonly audit: AuditTrail,
    private readonly workflow: RequestItemWorkflow,
    @Inject(CERTIFICATE_SOURCE) private readonly source: CertificateSource,
    private readonly uow: UnitOfWork,
    private readonly certificates: CertificateRepository,
    private readonly series: CertificateSeriesRepository,
    private readonly renderer: CertificateRenderer,
    private readonly forecast: NumberForecast,
  ) {}

  /** Loads what the result workflow says about a revision; throws CertificateSourceError when it cannot give a certificate. */
  async draft(resultRevisionId: string): Promise<CertificateDraft> {
    const draft = await this.source.load(resultRevisionId);
    if (draft.resultRevisionId !== resultRevisionId) {
      throw new CertificateSourceError(resultRevisionId, 'incomplete', 'The source answered for another revision');
    }
    return draft;
  }

  /** The queue's path: the original certificate of an approved revision, exactly once. */
  async issue(resultRevisionId: string): Promise<IssueOutcome> {
    const draft = await this.draft(resultRevisionId);
    return this.uow.run(async (tx): Promise<IssueOutcome> => {
      await this.certificates.lockRevision(tx, resultRevisionId);
      // Every certificate of the result (an amendment chain never leaves its result): one query
      // tells whether this revision has one, and which is current.
      const ofResult = await tx.manager.getRepository(Certificate).findBy({ resultId: draft.resultId });
      const existing = ofResult.find((c) => c.resultRevisionId === resultRevisionId);
      if (existing) return { status: 'exists', certificate: existing };
      const current = currentAmong(ofResult);
      if (current) return { status: 'amendment_required', current };
      const withheld = await this.certificates.withheldAtIssue(tx, draft);
      const written = await this.write(tx, { ...draft, withheldFromOwner: withheld }, undefined);
      return { status: 'issued', certificate: written.certificate };
    });
  }

  /**
   * An amendment (ISO/IEC 17025 7.8.8): a new certificate with a new number, naming the one it
   * replaces and why, from `draft` (a corrected revision of the same result, or the same revision
   * re-issued). The caller has checked the draft; the replaced certificate is locked and re-checked
   * here. In the caller's transaction `tx` when given (the caller's afterCommit hooks run once it commits).
   */
  async issueAmendment(tx: Tx | undefined, draft: CertificateDraft, amendment: Amendment): Promise<Certificate> {
    return this.uow.run(tx, async (tx) => {
      await this.certificates.lockRevision(tx, draft.resultRevisionId);
      // Before any certificate row is locked: the release takes this lock, then the rows.
      const withheld = await this.certificates.withheldAtIssue(tx, draft);
      const replaced = await tx.manager
        .getRepository(Certificate)
        .findOne({ where: { id: amendment.replaces.id }, lock: { mode: 'pessimistic_write' } });
      if (!replaced) throw new Error(`certificate ${amendment.replaces.id} vanished`);
      await assertCurrent(tx, replaced);
      if (draft.resultRevisionId !== replaced.resultRevisionId) {
        const taken = await tx.manager
          .getRepository(Certificate)
          .findOneBy({ resultRevisionId: draft.resultRevisionId });
        if (taken)
          throw new AmendmentConflict(`Revision ${draft.resultRevisionId} already has certificate ${taken.number}`);
      }
      const facts = { ...draft, withheldFromOwner: withheld };
      return (await this.write(tx, facts, { ...amendment, replaces: replaced })).certificate;
    });
  }

  /** Issues one document in `m`'s transaction: check, number, render, store, write (see the class comment). */
  private async write(
    tx: Tx,
    draft: CertificateDraft,
    amendment: Amendment | undefined,
  ): Promise<{ certificate: Certificate; deliveries: number }> {
    const now = new Date();
    // A verification that did not pass gets a failure notice in its own series: no stamp, no validity.
    const kind = documentKindOf(draft);
    const notice = kind === 'verification_failure';
    const outcome = notice ? 'fail' : draft.outcome;
    const year = seriesYear(now);
    const actor: AuditEntry['actor'] = amendment ? { kind: 'staff', roles: [], ...amendment.by } : QUEUE_ACTOR;

    // 1. Everything that does not need the number, before the series is locked. The instrument is
    // locked first in every issue (then the series rows): no deadlock between issuers.
    const validUntil = await this.recordOnInstrument(tx, draft, kind, outcome, amendment);
    const withStamp =
      kind === 'verification' && outcome === 'pass' && draft.instrumentId !== null && validUntil !== null;
    const document: DocumentFacts = {
      draft,
      content: notice ? failureNoticeContent(draft.content) : draft.content,
      kind,
      issueDate: vietnamDate(now),
      validUntil,
      amendment,
    };
    // A model the renderer refuses fails here, before any number is taken.
    validateCertificateModel(
      this.modelOf(
        document,
        formatCertificateNumber(kind, year, 1),
        withStamp ? formatStampSerial(year, 1) : undefined,
      ),
    );
    // The request item: results_approved → certificate_issued, with its history, audit and webhook
    // (requests library). An amendment, or a certificate after a revoked one, finds it moved already.
    if (draft.requestItemId) await this.workflow.markCertificateIssuedIfApproved(tx, draft.requestItemId, actor);

    // 2. The numbers: from here to commit, this series waits for us. Meanwhile the document is drawn
    // and stored with the numbers this process expects to take (NumberForecast), if it can be drawn
    // beside this thread.
    const kinds: SeriesKind[] = withStamp ? [kind, 'stamp'] : [kind];
    const expected = this.forecast.expect(kinds, year);
    const ahead =
      expected.worthDrawing && this.renderer.drawsAhead
        ? this.drawAhead(document, year, expected.guess!, now)
        : undefined;
    let taken: number[] | undefined;
    try {
      taken = await this.series.takeNextNumbers(tx, kinds, year);
    } finally {
      expected.settle(taken);
    }
    const [sequence, stampSequence] = taken;
    const number = formatCertificateNumber(kind, year, sequence!);
    const stamp =
      stampSequence === undefined
        ? undefined
        : { serial: formatStampSerial(year, stampSequence), year, sequence: stampSequence };
    const model = this.modelOf(document, number, stamp?.serial);

    // 3. The document, with its number; signed; stored under its hash before the row that names it
    // commits: the one drawn ahead if it was drawn from this very model, else drawn now.
    const file = await this.fileFor(model, now, ahead);

    // 4. The rows.
    const certificate = await this.insertRows(tx, {
      draft,
      model,
      file,
      stamp,
      year,
      sequence: sequence!,
      outcome,
      validUntil,
      amendment,
      now,
    });
    const deliveries = await this.announce(tx, certificate, stamp?.serial ?? null, amendment, actor);
    return { certificate, deliveries };
  }

  /**
   * Records the service on the instrument and returns the validity the document prints: for a
   * passed verification, the draft's, or the registry's next due date when the registry computed it
   * from this very verification (the certificate, the stamp and the instrument must tell the same).
   */
  private async recordOnInstrument(
    tx: Tx,
    draft: CertificateDraft,
    kind: CertificateKind,
    outcome: CertificateDraft['outcome'],
    amendment: Amendment | undefined,
  ): Promise<string | null> {
    const passed = outcome === 'pass';
    let validUntil = kind === 'verification' && passed ? draft.validUntil : null;
    if (!draft.instrumentId) return validUntil;
    const instrument = await this.instruments.recordCertificate(
      tx,
      draft.instrumentId,
      {
        service: draft.service,
        date: draft.measurementDate,
        passed: isVerificationKind(kind) ? passed : outcome === null ? null : passed,
      },
      amendment?.by.userId ?? null,
    );
    const fromThisVerification =
      instrument.lastVerification?.date === draft.measurementDate && instrument.lastVerification.passed;
    if (kind === 'verification' && passed && fromThisVerification && instrument.nextDueDate) {
      if (validUntil && validUntil !== instrument.nextDueDate) {
        this.logger.warn(
          `revision ${draft.resultRevisionId}: validity ${validUntil} from the result differs from the instrument's next due date ${instrument.nextDueDate}; printing the latter`,
        );
      }
      validUntil = instrument.nextDueDate;
    }
    return validUntil;
  }

  /** The model the renderer prints, for a number (and stamp serial) taken or only tried. */
  private modelOf(d: DocumentFacts, number: string, stampNumber: string | undefined): CertificateModel {
    const { content, kind, validUntil, amendment } = d;
    return {
      ...content,
      laboratory: content.laboratory ?? this.settings.laboratory,
      kind,
      number,
      issueDate: d.issueDate,
      verificationUrl: this.settings.verificationUrl(number),
      ...(isVerificationKind(kind)
        ? {
            verification: {
              type: verificationTypeOf(d.draft.service)!,
              ...(validUntil ? { validUntil } : {}),
              ...(stampNumber ? { stampNumber } : {}),
            },
          }
        : {}),
      ...(amendment
        ? {
            amendment: {
              replaces: amendment.replaces.number,
              replacesIssueDate: amendment.replaces.issueDate,
              reason: amendment.reason,
            },
          }
        : {}),
    };
  }

  /**
   * The document drawn, signed and stored with the numbers guessed (not taken yet), in a render
   * thread, while this issue waits for its series. Used only if the numbers taken are the ones guessed
   * (fileFor); otherwise the stored file is an orphan no row names, which the sweeper removes.
   */
  private drawAhead(document: DocumentFacts, year: number, guess: number[], now: Date): DrawnAhead {
    const [sequence, stampSequence] = guess;
    const model = this.modelOf(
      document,
      formatCertificateNumber(document.kind, year, sequence!),
      stampSequence === undefined ? undefined : formatStampSerial(year, stampSequence),
    );
    const file = this.produceFile(model, now, false);
    file.catch(() => undefined); // a failure is met again when the file is drawn with the number taken
    return { model, file };
  }

  /** The file of `model`: the one drawn ahead when it was drawn from exactly this model (and stored), else drawn now. */
  private async fileFor(model: CertificateModel, now: Date, ahead: DrawnAhead | undefined): Promise<IssuedFile> {
    if (ahead && isDeepStrictEqual(ahead.model, model)) {
      try {
        return await ahead.file;
      } catch {
        // Drawn or stored ahead and failed: once more, with the series held, to fail (or not) now.
      }
    }
    return this.produceFile(model, now, true);
  }

  /**
   * Renders, signs and hashes the PDF in a render thread (this thread, and the transaction, wait
   * meanwhile: other issues go on with their reads and writes), then stores it under its SHA-256.
   * `urgent`: this issue holds its series (ahead of the documents only drawn ahead of their numbers).
   */
  private async produceFile(model: CertificateModel, now: Date, urgent: boolean): Promise<IssuedFile> {
    const identity = this.settings.identity;
    const { pdf: signed, sha256: digest } = await this.renderer.signed(
      {
        model,
        render: { createdAt: now, ...(this.settings.logo ? { logo: this.settings.logo } : {}) },
        identity,
        signature: {
          reason: `Phát hành ${model.number} / Issue of ${model.number}`,
          location: model.laboratory.address,
          name: model.authorisedSignatory.name,
          contactInfo:
            [model.laboratory.phone, model.laboratory.email].filter(Boolean).join(', ') || model.laboratory.name,
          signingTime: now,
        },
      },
      urgent,
    );
    const storageKey = storageKeyFor(digest);
    await this.storage.put(storageKey, signed);
    return { digest, storageKey, byteSize: signed.length, signerFingerprint: identity.fingerprint };
  }

  /** The certificate row, its stamp, and the number on the instrument's service record. */
  private async insertRows(tx: Tx, r: IssuedRows): Promise<Certificate> {
    const { draft, model, file, stamp, amendment, validUntil, now } = r;
    const certificate = tx.manager.getRepository(Certificate).create({
      id: randomUUID(),
      number: model.number,
      kind: model.kind,
      year: r.year,
      sequence: r.sequence,
      resultRevisionId: draft.resultRevisionId,
      resultId: draft.resultId,
      organizationId: draft.organizationId,
      instrumentId: draft.instrumentId,
      requestItemId: draft.requestItemId,
      service: draft.service,
      outcome: r.outcome,
      measurementDate: draft.measurementDate,
      issueDate: model.issueDate,
      validUntil,
      itemTypeName: model.item.typeName,
      itemSerial: model.item.serial,
      ownerName: model.item.owner ?? model.customer.name,
      laboratoryName: model.laboratory.name,
      model,
      sha256: file.digest,
      storageKey: file.storageKey,
      byteSize: file.byteSize,
      signerFingerprint: file.signerFingerprint,
      replacesId: amendment?.replaces.id ?? null,
      amendmentReason: amendment?.reason ?? null,
      issuedBy: amendment?.by.userId ?? null,
      issuedAt: now,
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
      withheldFromOwner: draft.withheldFromOwner === true,
    });
    await this.certificates.insertWithStamp(tx, certificate, stamp && { ...stamp, instrumentId: draft.instrumentId! });
    if (draft.instrumentId) {
      await this.instruments.attachCertificateNumber(
        tx,
        draft.instrumentId,
        draft.service,
        draft.measurementDate,
        model.number,
      );
    }
    return certificate;
  }

  /** The owner's `certificate.issued` webhook deliveries and the audit entries; returns how many deliveries. */
  private async announce(
    tx: Tx,
    certificate: Certificate,
    stampSerial: string | null,
    amendment: Amendment | undefined,
    actor: AuditEntry['actor'],
  ): Promise<number> {
    const c = certificate;
    // Withheld from the owner: its webhook waits for the release (CertificateOwnerReleaseHandler).
    const deliveries = c.withheldFromOwner
      ? 0
      : await this.webhooks.publish(
          tx,
          c.organizationId,
          'certificate.issued',
          issuedEvent(c, stampSerial, amendment?.replaces.number ?? null),
        );
    const superseded =
      amendment && !amendment.replaces.withheldFromOwner ? await this.announceSuperseded(tx, amendment, c) : 0;
    await this.audit.record(
      tx,
      {
        actor,
        entity: 'certificate',
        entityId: c.id,
        action: amendment ? 'amend' : 'issue',
        after: { number: c.number, resultRevisionId: c.resultRevisionId, sha256: c.sha256, stampSerial },
        reason: amendment?.reason ?? null,
      },
      ...(amendment
        ? [
            {
              actor,
              entity: 'certificate',
              entityId: amendment.replaces.id,
              action: 'supersede',
              after: { supersededBy: c.number },
              reason: amendment.reason,
            },
          ]
        : []),
    );
    return deliveries + superseded;
  }

  /** The owner's `certificate.superseded` deliveries for the certificate an amendment replaced. */
  private announceSuperseded(tx: Tx, amendment: Amendment, by: Certificate): Promise<number> {
    const old = amendment.replaces;
    return this.webhooks.publish(tx, old.organizationId, 'certificate.superseded', {
      certificateId: old.id,
      number: old.number,
      kind: old.kind,
      supersededBy: { certificateId: by.id, number: by.number, downloadPath: `/certificates/${by.id}/pdf` },
      reason: amendment.reason,
      supersededAt: by.issuedAt.toISOString(),
      requestItemId: old.requestItemId,
      instrumentId: old.instrumentId,
    });
  }
}

/** The `certificate.issued` webhook's data: at issue, or at the release of a withheld document. */
export function issuedEvent(c: Certificate, stampSerial: string | null, replaces: string | null) {
  return {
    certificateId: c.id,
    number: c.number,
    kind: c.kind,
    issueDate: c.issueDate,
    validUntil: c.validUntil,
    outcome: c.outcome,
    resultRevisionId: c.resultRevisionId,
    requestItemId: c.requestItemId,
    instrumentId: c.instrumentId,
    stampSerial,
    replaces,
    sha256: c.sha256,
    downloadPath: `/certificates/${c.id}/pdf`,
    verificationUrl: c.model.verificationUrl,
  };
}

/** What a document states besides its number: from the draft, and what issuing decided. */
interface DocumentFacts {
  draft: CertificateDraft;
  content: CertificateDraft['content'];
  kind: CertificateKind;
  issueDate: string;
  validUntil: string | null;
  amendment: Amendment | undefined;
}

/** A document drawn ahead of its number: the model drawn, and its file once signed and stored. */
interface DrawnAhead {
  model: CertificateModel;
  file: Promise<IssuedFile>;
}

interface IssuedFile {
  digest: string;
  storageKey: string;
  byteSize: number;
  signerFingerprint: string;
}

interface IssuedRows {
  draft: CertificateDraft;
  model: CertificateModel;
  file: IssuedFile;
  stamp: { serial: string; year: number; sequence: number } | undefined;
  year: number;
  sequence: number;
  outcome: CertificateDraft['outcome'];
  validUntil: string | null;
  amendment: Amendment | undefined;
  now: Date;
}

/** An amendment that cannot go ahead because of the certificate's state (409). */
export class AmendmentConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmendmentConflict';
  }
}

async function assertCurrent(tx: Tx, c: Certificate): Promise<void> {
  const found = await readStanding(tx.manager, c);
  if (found.standing === 'revoked')
    throw new AmendmentConflict(`Certificate ${c.number} is revoked; a revoked certificate is not amended`);
  if (found.standing === 'superseded') {
    throw new AmendmentConflict(
      `Certificate ${c.number} is already superseded by ${found.successor.number}; amend that one`,
    );
  }
}
