import { convertDifference, sameDimension } from '#libs/core';
import type { CertificateContent, CertificateDraft } from '#libs/certificates';
import { formatNumber, type ResultTable } from '#libs/documents';
import { todayInVietnam } from '#libs/registry';
import { numberToDecimal } from '../common/decimal-text.js';
import type { CertificateData, CertificatePoint } from './calibration-result-reader.js';

/** "0.9545" → "95.45": a probability as the percentage printed, by moving the decimal point (no float). */
export function asPercent(probability: string): string {
  const [whole = '0', fraction = ''] = probability.split('.');
  const padded = fraction.padEnd(2, '0');
  const percent = (whole + padded.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2).replace(/0+$/, '');
  return rest ? `${percent}.${rest}` : percent;
}

/**
 * The instrument's resolution in the readings' unit (a gauge resolving 1 kPa read in MPa resolves
 * 0.001 MPa); null when it is of another quantity or unknown: the values then print as recorded.
 */
export function resolutionIn(
  instrument: Pick<CertificateData['instrument'], 'resolution' | 'resolutionUnit'>,
  unit: string,
): string | null {
  const { resolution, resolutionUnit } = instrument;
  if (resolution === null) return null;
  if (!resolutionUnit || resolutionUnit === unit) return resolution;
  if (!sameDimension(resolutionUnit, unit)) return null;
  return numberToDecimal(convertDifference(Number(resolution), resolutionUnit, unit));
}

/**
 * The values stay the decimal strings the result holds: the renderer prints them (libs/documents
 * number-format.ts), means to the instrument's resolution passed here, errors to U's decimal place.
 */
function table(
  points: CertificatePoint[],
  withDecision: boolean,
  instrument: Pick<CertificateData['instrument'], 'resolution' | 'resolutionUnit'>,
): ResultTable {
  const units = [...new Set(points.map((p) => p.unit))];
  const resolution = units.length === 1 ? resolutionIn(instrument, units[0]!) : null;
  return {
    ...(units.length === 1 ? { unit: units[0] } : {}),
    ...(resolution !== null ? { resolution } : {}),
    rows: points.map((p) => ({
      nominal: p.nominal,
      reference: p.referenceValue,
      indicated: p.indicatedMean,
      error: p.error,
      expandedUncertainty: p.expandedUncertainty,
      coverageFactor: p.coverageFactor,
      ...(withDecision && p.mpe !== null ? { mpe: `±${p.mpe}` } : {}),
      ...(withDecision && p.decision ? { decision: p.decision } : {}),
      ...(units.length === 1 ? {} : { unit: p.unit }),
    })),
  };
}

/** What the item was judged against, in each language: "ĐLVN 76:2001, cấp chính xác 1,6" / "…, accuracy class 1.6". */
function specification(data: CertificateData, locale: 'vi' | 'en'): string {
  const accuracyClass = data.instrument.accuracyClass;
  return [
    `${data.procedure.code}${data.procedure.version ? `:${data.procedure.version}` : ''}`,
    accuracyClass
      ? `${locale === 'vi' ? 'cấp chính xác' : 'accuracy class'} ${formatNumber(accuracyClass, locale)}`
      : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Who asked: the customer's name, address and first contact. */
function customer(data: CertificateData): CertificateContent['customer'] {
  const c = data.customer;
  const contact = c.contacts[0];
  return {
    name: c.name,
    address: [c.streetAddress, c.ward, c.district, c.province].filter(Boolean).join(', '),
    ...(contact ? { contact: [contact.name, contact.phone, contact.email].filter(Boolean).join(', ') } : {}),
  };
}

/** The instrument as the certificate describes it; its range printed in Vietnamese number format. */
function item(data: CertificateData): CertificateContent['item'] {
  const i = data.instrument;
  return {
    typeName: i.typeNameVi,
    typeNameEn: i.typeNameEn,
    manufacturer: i.manufacturer,
    ...(i.model ? { model: i.model } : {}),
    serial: i.serialNumber,
    ...(i.rangeMax !== null
      ? {
          range: `${formatNumber(i.rangeMin ?? '0', 'vi')} – ${formatNumber(i.rangeMax, 'vi')}${i.rangeUnit ? ` ${i.rangeUnit}` : ''}`,
        }
      : {}),
    ...(i.resolution !== null
      ? { resolution: `${i.resolution}${i.resolutionUnit ? ` ${i.resolutionUnit}` : ''}` }
      : {}),
    ...(i.accuracyClass !== null ? { accuracyClass: i.accuracyClass } : {}),
    ...(i.placeOfUse ? { placeOfUse: i.placeOfUse } : {}),
  };
}

function environment(data: CertificateData): CertificateContent['environment'] {
  const e = data.environment;
  return {
    ...(e.temperature !== null ? { temperature: { value: e.temperature, unit: '°C' } } : {}),
    ...(e.humidity !== null ? { humidity: { value: e.humidity, unit: '%RH' } } : {}),
    ...(e.pressure !== null ? { pressure: { value: e.pressure, unit: 'kPa' } } : {}),
  };
}

/** The results: the reported series, and as found beside it when the instrument was adjusted. */
function results(data: CertificateData): Pick<CertificateContent, 'results' | 'asFound'> {
  const decides = data.decisionRule !== null;
  const reported = data.adjusted ? data.asLeft : data.asFound;
  return {
    results: [table(reported, decides, data.instrument)],
    ...(data.adjusted ? { asFound: [table(data.asFound, decides, data.instrument)] } : {}),
  };
}

/** The decision rule (ILAC-G8) and the statement of conformity, when one is made. */
function conformity(data: CertificateData): Pick<CertificateContent, 'decisionRule' | 'conformity'> {
  const rule = data.decisionRule;
  return {
    ...(rule
      ? {
          decisionRule: {
            rule: rule.kind,
            ...(rule.kind === 'guarded'
              ? {
                  guardBand:
                    rule.guardBandFactor && Number(rule.guardBandFactor) !== 1 ? `${rule.guardBandFactor}·U` : 'U',
                }
              : {}),
          },
        }
      : {}),
    ...(data.overallOutcome
      ? {
          conformity: {
            decision: data.overallOutcome,
            specification: specification(data, 'vi'),
            specificationEn: specification(data, 'en'),
          },
        }
      : {}),
  };
}

/** The certificate's content from a result revision (pure). Values stay the decimal strings the result holds. */
export function toCertificateDraft(data: CertificateData, validUntil: string | null): CertificateDraft {
  const ks = [...new Set(data.points.map((p) => p.coverageFactor))];
  const { results: reported, asFound } = results(data);
  const { decisionRule, conformity: statement } = conformity(data);
  const content: CertificateContent = {
    customer: customer(data),
    item: item(data),
    ...(data.request.receivedAt ? { receiptDate: todayInVietnam(new Date(data.request.receivedAt)) } : {}),
    measurementDates: [data.measuredOn],
    placeOfMeasurement: data.place,
    method: { code: data.procedure.code, ...(data.procedure.version ? { version: data.procedure.version } : {}) },
    environment: environment(data),
    standards: data.standards.map((s) => ({
      code: s.code,
      name: s.name,
      certificateNumber: s.certificateNumber,
      issuedBy: s.issuingLab,
      dueDate: s.dueDate,
    })),
    results: reported,
    ...(asFound ? { asFound } : {}),
    uncertainty: {
      coverageProbability: asPercent(data.coverageProbability),
      ...(ks.length === 1 ? { coverageFactor: ks[0] } : {}),
    },
    ...(decisionRule ? { decisionRule } : {}),
    ...(statement ? { conformity: statement } : {}),
    authorisedSignatory: { name: data.reviewer.name },
    technician: { name: data.technician.name },
  };
  return {
    resultRevisionId: data.resultRevisionId,
    resultId: data.resultId,
    organizationId: data.customer.id,
    instrumentId: data.instrument.id,
    requestItemId: data.requestItemId,
    service: data.service,
    outcome: data.overallOutcome,
    measurementDate: data.measuredOn,
    validUntil,
    content,
  };
}
