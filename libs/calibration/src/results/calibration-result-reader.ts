import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '#libs/core';
import { isVerification, type Contact, type ServiceKind } from '#libs/registry';
import { roundToDecimalPlaces, type DecisionOutcome } from '#libs/uncertainty';
import { reportedSeries, type DecisionRuleKind, type DecisionRuleSource, type Series } from './computation.js';
import {
  CalibrationResultRepository,
  type PointForCertificate,
  type RevisionForCertificate,
} from './calibration-result.repository.js';

export interface CertificatePoint {
  ordinal: number;
  series: Series;
  nominal: string;
  unit: string;
  referenceValue: string;
  /** Mean of the readings. */
  indicatedMean: string;
  /** Error rounded to the decimal place of U: what the certificate prints. */
  error: string;
  errorUnrounded: string;
  /** U as reported (≤ 2 significant digits). */
  expandedUncertainty: string;
  expandedUncertaintyUnrounded: string;
  /** k to two decimals, as printed ("2.03"); unrounded beside it. */
  coverageFactor: string;
  coverageFactorUnrounded: string;
  /** ν_eff; null when infinite. */
  effectiveDegreesOfFreedom: string | null;
  /** ±MPE at the point; null when not determined. */
  mpe: string | null;
  decision: DecisionOutcome | null;
}

/** Everything a certificate (ISO/IEC 17025 7.8) needs from an approved result revision. */
export interface CertificateData {
  resultId: string;
  resultRevisionId: string;
  revision: number;
  /** Why this revision replaced the previous one (an amended certificate names it); null for revision 1. */
  revisionReason: string | null;
  requestItemId: string;
  /** The request and item: what was asked, where, and the date of receipt (ISO/IEC 17025 7.8.2.1 i). */
  request: {
    id: string;
    itemOrdinal: number;
    place: 'lab' | 'on_site';
    siteAddress: string | null;
    labelId: string | null;
    receivedAt: string | null;
    conditionOnReceipt: string | null;
  };
  service: ServiceKind;
  serviceKind: 'verification' | 'calibration';
  procedure: { code: string; version: string | null };
  measuredOn: string;
  place: string;
  environment: {
    temperature: string | null;
    humidity: string | null;
    pressure: string | null;
    units: { temperature: '°C'; humidity: '%RH'; pressure: 'kPa' };
  };
  instrument: {
    id: string;
    typeCode: string;
    typeNameVi: string;
    typeNameEn: string;
    manufacturer: string;
    model: string | null;
    serialNumber: string;
    accuracyClass: string | null;
    rangeMin: string | null;
    rangeMax: string | null;
    rangeUnit: string | null;
    resolution: string | null;
    resolutionUnit: string | null;
    /** Where the instrument is used (site, address), when registered. */
    placeOfUse: string | null;
  };
  customer: {
    id: string;
    name: string;
    taxCode: string;
    streetAddress: string;
    ward: string | null;
    district: string | null;
    province: string;
    contacts: Contact[];
  };
  /** The standards used with the certificate in force on the measurement date (traceability). */
  standards: {
    id: string;
    code: string;
    name: string;
    certificateNumber: string;
    issuingLab: string;
    calibrationDate: string;
    dueDate: string;
  }[];
  technician: { id: string; name: string };
  reviewer: { id: string; name: string };
  approvedAt: string;
  coverageProbability: string;
  conformityRequested: boolean;
  /** null: no statement of conformity is made. */
  decisionRule: { kind: DecisionRuleKind; guardBandFactor: string | null; source: DecisionRuleSource } | null;
  /** For the reported series; null without a decision. */
  overallOutcome: DecisionOutcome | null;
  adjusted: boolean;
  reportedSeries: Series;
  asFoundOutcome: DecisionOutcome | null;
  /** Every point, as-found then as-left in recorded order. */
  points: CertificatePoint[];
  asFound: CertificatePoint[];
  /** Empty unless adjusted. */
  asLeft: CertificatePoint[];
}

/**
 * Read side for the certificates library: one approved revision, everything the certificate prints.
 * One statement, once per certificate issued (CalibrationResultRepository.loadForCertificate).
 */
@Injectable()
export class CalibrationResultReader {
  constructor(private readonly repository: CalibrationResultRepository) {}

  async forCertificate(resultRevisionId: string): Promise<CertificateData> {
    const read = await this.repository.loadForCertificate(resultRevisionId);
    if (!read) throw new NotFoundError('calibration_result_revision', resultRevisionId);
    assertApproved(read);
    const { instrument } = read;
    if (!instrument) throw new NotFoundError('instrument', read.instrumentId);
    return toCertificateData({ ...read, instrument });
  }
}

/** Certificates are issued from approved revisions only. */
function assertApproved(r: Pick<RevisionForCertificate, 'status' | 'revision' | 'resultId'>): void {
  if (r.status !== 'approved') {
    throw new ConflictError(
      'result.revision_not_approved',
      `Revision ${r.revision} of result ${r.resultId} is ${r.status}: certificates are issued from approved revisions only`,
    );
  }
}

/** A point as printed: U and the error rounded as reported, k to two decimals; the unrounded values beside them. */
function toCertificatePoint(p: PointForCertificate): CertificatePoint {
  return {
    ordinal: p.ordinal,
    series: p.series,
    nominal: p.nominal,
    unit: p.unit,
    referenceValue: p.referenceValue,
    indicatedMean: p.indicatedMean,
    error: p.roundedError,
    errorUnrounded: p.error,
    expandedUncertainty: p.roundedExpandedUncertainty,
    expandedUncertaintyUnrounded: p.expandedUncertainty,
    coverageFactor: roundToDecimalPlaces(Number(p.coverageFactor), 2).text,
    coverageFactorUnrounded: p.coverageFactor,
    effectiveDegreesOfFreedom: p.effectiveDegreesOfFreedom,
    mpe: p.mpe,
    decision: p.decision,
  };
}

type ReadInstrument = NonNullable<RevisionForCertificate['instrument']>;
type ReadWithInstrument = RevisionForCertificate & { instrument: ReadInstrument };

function instrumentOf(r: ReadWithInstrument): CertificateData['instrument'] {
  const i = r.instrument;
  return {
    id: r.instrumentId,
    typeCode: i.typeCode,
    typeNameVi: i.typeNameVi,
    typeNameEn: i.typeNameEn,
    manufacturer: i.manufacturer,
    model: i.model,
    serialNumber: i.serialNumber,
    accuracyClass: i.accuracyClass,
    rangeMin: i.rangeMin,
    rangeMax: i.rangeMax,
    rangeUnit: i.rangeUnit,
    resolution: i.resolution,
    resolutionUnit: i.resolutionUnit,
    placeOfUse: [i.siteName, i.streetAddress].filter(Boolean).join(', ') || null,
  };
}

function toCertificateData(r: ReadWithInstrument): CertificateData {
  const item = r.item;
  const points = r.points.map(toCertificatePoint);
  return {
    resultId: r.resultId,
    resultRevisionId: r.id,
    revision: r.revision,
    revisionReason: r.reason,
    requestItemId: r.requestItemId,
    request: {
      id: item.requestId,
      itemOrdinal: item.ordinal,
      place: item.place,
      siteAddress: item.siteAddress,
      labelId: item.labelId,
      receivedAt: item.receivedAt?.toISOString() ?? null,
      conditionOnReceipt: item.conditionOnReceipt,
    },
    service: r.service,
    serviceKind: isVerification(r.service) ? 'verification' : 'calibration',
    procedure: { code: r.procedureCode, version: r.procedureVersion },
    measuredOn: r.measuredOn,
    place: r.place,
    environment: {
      temperature: r.temperature,
      humidity: r.humidity,
      pressure: r.pressure,
      units: { temperature: '°C', humidity: '%RH', pressure: 'kPa' },
    },
    instrument: instrumentOf(r),
    customer: r.instrument.owner,
    standards: r.standards.map((s) => ({
      id: s.standardId,
      code: s.code,
      name: s.name,
      certificateNumber: s.certificateNumber,
      issuingLab: s.issuingLab,
      calibrationDate: s.calibrationDate,
      dueDate: s.dueDate,
    })),
    technician: { id: r.performedBy, name: r.performerName ?? '' },
    reviewer: { id: r.reviewedBy!, name: r.reviewerName ?? '' },
    approvedAt: r.reviewedAt!.toISOString(),
    coverageProbability: r.coverageProbability,
    conformityRequested: r.conformityRequested,
    decisionRule: r.decisionRule
      ? { kind: r.decisionRule, guardBandFactor: r.guardBandFactor, source: r.decisionRuleSource ?? 'procedure' }
      : null,
    overallOutcome: r.overallOutcome,
    adjusted: r.adjusted,
    reportedSeries: reportedSeries(r.adjusted),
    asFoundOutcome: r.asFoundOutcome,
    points,
    asFound: points.filter((p) => p.series === 'as_found'),
    asLeft: points.filter((p) => p.series === 'as_left'),
  };
}
