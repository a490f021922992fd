/**
 * What a certificate says, as the certificate workflow hands it to the renderer. Everything is
 * already decided upstream: numbers allocated, values rounded (GUM: U to two significant digits,
 * the result to the same decimal place). Measured values, errors and uncertainties are decimal
 * strings ("0.0040", point or comma) — they never pass through a JS number. The renderer prints
 * them through number-format.ts: readings to the table's resolution, errors to U's decimal place,
 * the decimal comma in tables and Vietnamese lines, the point in English lines.
 * Dates are calendar dates, 'YYYY-MM-DD'.
 */

/**
 * verification = kiểm định (legal metrology, pass/fail against MPE); calibration = hiệu chuẩn;
 * test_report = thử nghiệm; verification_failure = thông báo kết quả kiểm định không đạt (notice of
 * failed verification: what a failed verification gets instead of a certificate — no stamp, no validity).
 */
export type CertificateKind = 'verification' | 'calibration' | 'test_report' | 'verification_failure';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = [
  'verification',
  'calibration',
  'test_report',
  'verification_failure',
];

/** The documents of legal verification: the certificate of a pass and the notice of a fail. */
export function isVerificationKind(kind: CertificateKind): kind is 'verification' | 'verification_failure' {
  return kind === 'verification' || kind === 'verification_failure';
}

/** Outcome of a conformity decision (ILAC-G8): guarded acceptance can leave a result conditional. */
export type ConformityDecision = 'pass' | 'fail' | 'conditional_pass' | 'conditional_fail';

export const CONFORMITY_DECISIONS: readonly ConformityDecision[] = [
  'pass',
  'fail',
  'conditional_pass',
  'conditional_fail',
];

/** ban đầu / định kỳ / sau sửa chữa */
export type VerificationType = 'initial' | 'periodic' | 'after_repair';

export interface LaboratoryInfo {
  /** e.g. "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Tỉnh X" */
  name: string;
  nameEn?: string;
  /** The body the laboratory belongs to, printed above its name (e.g. the provincial department). */
  parentBody?: string;
  address: string;
  /** e.g. "VILAS 123" (accreditation) or a designation decision number for legal verification. */
  accreditation?: string;
  phone?: string;
  email?: string;
  website?: string;
}

export interface CustomerInfo {
  name: string;
  address: string;
  /** Person, phone or e-mail to contact. */
  contact?: string;
}

/** The instrument calibrated or verified, or the sample tested. */
export interface ItemInfo {
  /** e.g. "Đồng hồ đo áp suất" — for a test report, the sample's name. */
  typeName: string;
  typeNameEn?: string;
  manufacturer?: string;
  model?: string;
  /** Serial number, or the sample code of a test report: the unambiguous identification. */
  serial: string;
  range?: string;
  resolution?: string;
  accuracyClass?: string;
  /** Owner (cơ sở sử dụng), when not the customer. */
  owner?: string;
  placeOfUse?: string;
  /** Anything else that identifies the item (asset tag, seal numbers, sample description). */
  otherIdentification?: string;
}

export interface ProcedureRef {
  /** e.g. "ĐLVN 76:2001" or "TCVN 6165:2009" */
  code: string;
  title?: string;
  version?: string;
}

/** A value with its unit, e.g. { value: '23,4', unit: '°C' } or { value: '(20 ± 2)', unit: '°C' }. */
export interface QuantityValue {
  value: string;
  unit: string;
}

export interface EnvironmentalConditions {
  temperature?: QuantityValue;
  humidity?: QuantityValue;
  pressure?: QuantityValue;
  other?: { label: string; labelEn?: string; value: QuantityValue }[];
}

/** A measurement standard (chuẩn đo lường) used, and the certificate that makes it traceable. */
export interface StandardUsed {
  code: string;
  name: string;
  certificateNumber: string;
  /** The laboratory that calibrated the standard (e.g. "Viện Đo lường Việt Nam (VMI)"). */
  issuedBy: string;
  /** Due date of the standard's calibration, 'YYYY-MM-DD'. */
  dueDate: string;
}

/**
 * One measurement point. Every value is a decimal string; leave out what does not apply. Printed:
 * nominal and reference with their recorded digits, indicated to the table's resolution, error to
 * the decimal place of U (or the resolution), U to at most two significant digits, MPE rounded
 * outward (number-format.ts formatLimit).
 */
export interface ResultRow {
  /** Row label, e.g. the test parameter (chỉ tiêu) of a test report or a point name. */
  label?: string;
  nominal?: string;
  reference?: string;
  /** Indicated value, or the mean of repeated readings; the result of a test. */
  indicated?: string;
  error?: string;
  /** Expanded uncertainty U. */
  expandedUncertainty?: string;
  /** Coverage factor k of this point. */
  coverageFactor?: string;
  /** Maximum permissible error (or a test report's requirement), as it should be printed, e.g. "±0,05" or "≤ 0,5". */
  mpe?: string;
  decision?: ConformityDecision;
  /** Unit of this row when a table mixes units (test reports). */
  unit?: string;
  /** The label in English, printed beneath it (test reports). */
  labelEn?: string;
  /** Test reports: the test method of this row (Phương pháp thử). */
  method?: string;
  /** Test reports: the result as reported, already formatted ("12,3", "< 0,2", "KPH", "1a"). */
  result?: string;
  /** Test reports: the specified limit as printed (Mức quy định: "≤ 150", "≥ 95", "Báo cáo"). */
  requirement?: string;
  /** Test reports: the method is in the laboratory's accreditation scope (marked). */
  accredited?: boolean;
  /** Test reports: the test was subcontracted to another laboratory (marked). */
  subcontracted?: boolean;
}

export interface ResultTable {
  title?: string;
  titleEn?: string;
  /** Unit of nominal, reference, indicated, error, U and MPE unless overridden below or per row. */
  unit?: string;
  errorUnit?: string;
  uncertaintyUnit?: string;
  mpeUnit?: string;
  /**
   * The instrument's resolution (độ phân giải) as a decimal string, "0.01": indicated values (means)
   * are printed to its decimal place. Unknown: they are printed with the digits recorded.
   */
  resolution?: string;
  /** The procedure lets means carry one digit more than the resolution; a note under the table says so. */
  meanExtraDigit?: boolean;
  rows: ResultRow[];
}

export interface UncertaintyStatement {
  /** Coverage probability in percent, e.g. "95" or "95,45". */
  coverageProbability: string;
  /** When one k applies to every point; otherwise k is read from the table. */
  coverageFactor?: string;
}

/** ILAC-G8 decision rule. */
export interface DecisionRule {
  rule: 'simple' | 'guarded';
  /** Guard band for guarded acceptance, as printed (default "U"). */
  guardBand?: string;
  /** Overrides the standard wording. */
  text?: string;
  textEn?: string;
}

export interface ConformityStatement {
  decision: ConformityDecision;
  /** What the item was judged against, e.g. "ĐLVN 76:2001, cấp chính xác 1,6". */
  specification?: string;
  /** The same in English, "ĐLVN 76:2001, accuracy class 1.6"; without it the English line repeats `specification`. */
  specificationEn?: string;
  /** Overrides the standard wording. */
  text?: string;
  textEn?: string;
}

/** Legal verification only. */
export interface VerificationInfo {
  type: VerificationType;
  /** "Có hiệu lực đến" — required when the item passed. */
  validUntil?: string;
  /** Serial of the verification stamp (tem kiểm định) fixed to the instrument. */
  stampNumber?: string;
}

/** 7.8.8: this certificate replaces an earlier one. */
export interface AmendmentInfo {
  replaces: string;
  replacesIssueDate?: string;
  reason: string;
}

export interface Person {
  name: string;
  title?: string;
  titleEn?: string;
}

export interface CertificateModel {
  kind: CertificateKind;
  number: string;
  issueDate: string;
  laboratory: LaboratoryInfo;
  customer: CustomerInfo;
  item: ItemInfo;
  receiptDate?: string;
  /** One date, or several (printed as a list or a range when they are consecutive in the list). */
  measurementDates: string[];
  placeOfMeasurement: string;
  method: ProcedureRef;
  environment?: EnvironmentalConditions;
  standards: StandardUsed[];
  /** Overrides the traceability statement written from `standards`. */
  traceabilityStatement?: string;
  traceabilityStatementEn?: string;
  /** The results; when `asFound` is given these are the results after adjustment (as left). */
  results: ResultTable[];
  /** Results before adjustment, when the item was adjusted or repaired. */
  asFound?: ResultTable[];
  uncertainty?: UncertaintyStatement;
  decisionRule?: DecisionRule;
  conformity?: ConformityStatement;
  verification?: VerificationInfo;
  amendment?: AmendmentInfo;
  remarks?: string[];
  /** Test reports: how the sample was taken; absent: "Mẫu do khách hàng gửi" (sent by the customer). */
  sampling?: string;
  /** Test reports: departures from the methods (7.8.2.1); absent: none. */
  deviations?: string;
  authorisedSignatory: Person;
  technician?: Person;
  /** The public verification page of this certificate; printed and encoded in the QR code. */
  verificationUrl: string;
}

/** The model is not printable as given; `field` is the path of the first offending value. */
export class CertificateModelError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid certificate model: ${field} ${problem}`);
    this.name = 'CertificateModelError';
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

function text(value: unknown, field: string, required = true): void {
  if (value === undefined || value === null) {
    if (required) throw new CertificateModelError(field, 'is required');
    return;
  }
  if (typeof value !== 'string') throw new CertificateModelError(field, `must be a string (got ${typeof value})`);
  if (required && value.trim() === '') throw new CertificateModelError(field, 'must not be empty');
}

function date(value: unknown, field: string, required = true): void {
  if (value === undefined && !required) return;
  if (!isCalendarDate(value))
    throw new CertificateModelError(field, `must be a calendar date YYYY-MM-DD (got ${JSON.stringify(value)})`);
}

/** Values reach the document as strings only: a JS number here would already have lost the caller's rounding. */
function decimal(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string')
    throw new CertificateModelError(field, `must be a decimal string, never a number (got ${typeof value})`);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): void {
  if (!allowed.includes(value as T))
    throw new CertificateModelError(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

function validateTables(tables: unknown, field: string): void {
  if (!Array.isArray(tables)) throw new CertificateModelError(field, 'must be a list of result tables');
  tables.forEach((table: ResultTable, t) => {
    const at = `${field}[${t}]`;
    text(table.title, `${at}.title`, false);
    for (const key of ['unit', 'errorUnit', 'uncertaintyUnit', 'mpeUnit'] as const)
      text(table[key], `${at}.${key}`, false);
    decimal(table.resolution, `${at}.resolution`);
    if (table.meanExtraDigit !== undefined && typeof table.meanExtraDigit !== 'boolean')
      throw new CertificateModelError(`${at}.meanExtraDigit`, 'must be true or false');
    if (!Array.isArray(table.rows)) throw new CertificateModelError(`${at}.rows`, 'must be a list');
    table.rows.forEach((row, r) => {
      const rowAt = `${at}.rows[${r}]`;
      text(row.label, `${rowAt}.label`, false);
      text(row.unit, `${rowAt}.unit`, false);
      for (const key of ['labelEn', 'method', 'result', 'requirement'] as const)
        text(row[key], `${rowAt}.${key}`, false);
      for (const key of [
        'nominal',
        'reference',
        'indicated',
        'error',
        'expandedUncertainty',
        'coverageFactor',
        'mpe',
      ] as const) {
        decimal(row[key], `${rowAt}.${key}`);
      }
      if (row.decision !== undefined) oneOf(row.decision, CONFORMITY_DECISIONS, `${rowAt}.decision`);
    });
  });
}

/** A test report states U only beside a measured value: never beside "< 0,2", "> 40", "KPH" or a category. */
function validateTestReportUncertainty(tables: ResultTable[]): void {
  tables.forEach((table, t) =>
    table.rows.forEach((row, r) => {
      if (row.expandedUncertainty === undefined || row.result === undefined) return;
      if (!/^[−-]?\d/.test(row.result.trim()))
        throw new CertificateModelError(
          `results[${t}].rows[${r}].expandedUncertainty`,
          `is stated only beside a measured value (the result reads ${JSON.stringify(row.result)})`,
        );
    }),
  );
}

/**
 * A notice of failed verification: the verdict is KHÔNG ĐẠT, it lists at least one failing point, and
 * it gives the instrument neither a validity date nor a stamp (a failed instrument may not be used).
 */
function validateFailureNotice(model: CertificateModel): void {
  if (!model.verification) throw new CertificateModelError('verification', 'is required for a failure notice');
  oneOf(model.verification.type, ['initial', 'periodic', 'after_repair'], 'verification.type');
  if (model.verification.validUntil !== undefined)
    throw new CertificateModelError('verification.validUntil', 'must be absent: a failed instrument has no validity');
  if (model.verification.stampNumber !== undefined)
    throw new CertificateModelError('verification.stampNumber', 'must be absent: a failed verification gets no stamp');
  if (model.conformity?.decision !== 'fail')
    throw new CertificateModelError('conformity.decision', 'must be fail on a failure notice (KHÔNG ĐẠT)');
  if (failingRows(model).length === 0)
    throw new CertificateModelError(
      'results',
      'must mark at least one failing point (decision fail) on a failure notice',
    );
}

/** The points a failure notice lists: every result row decided fail, table by table. */
export function failingRows(model: CertificateModel): { table: ResultTable; row: ResultRow }[] {
  return model.results.flatMap((table) =>
    table.rows.filter((row) => row.decision === 'fail').map((row) => ({ table, row })),
  );
}

/** Checks what the renderer relies on; throws CertificateModelError naming the first bad field. */
export function validateCertificateModel(model: CertificateModel): void {
  if (typeof model !== 'object' || model === null) throw new CertificateModelError('model', 'must be an object');
  oneOf(model.kind, CERTIFICATE_KINDS, 'kind');
  text(model.number, 'number');
  date(model.issueDate, 'issueDate');
  text(model.laboratory?.name, 'laboratory.name');
  text(model.laboratory?.address, 'laboratory.address');
  text(model.customer?.name, 'customer.name');
  text(model.customer?.address, 'customer.address');
  text(model.item?.typeName, 'item.typeName');
  text(model.item?.serial, 'item.serial');
  date(model.receiptDate, 'receiptDate', false);
  if (!Array.isArray(model.measurementDates) || model.measurementDates.length === 0) {
    throw new CertificateModelError('measurementDates', 'must list at least one date');
  }
  model.measurementDates.forEach((d, i) => date(d, `measurementDates[${i}]`));
  text(model.placeOfMeasurement, 'placeOfMeasurement');
  text(model.method?.code, 'method.code');
  for (const key of ['temperature', 'humidity', 'pressure'] as const) {
    const q = model.environment?.[key];
    if (q) {
      decimal(q.value, `environment.${key}.value`);
      text(q.unit, `environment.${key}.unit`);
    }
  }
  if (!Array.isArray(model.standards)) throw new CertificateModelError('standards', 'must be a list');
  model.standards.forEach((s, i) => {
    text(s.code, `standards[${i}].code`);
    text(s.name, `standards[${i}].name`);
    text(s.certificateNumber, `standards[${i}].certificateNumber`);
    text(s.issuedBy, `standards[${i}].issuedBy`);
    date(s.dueDate, `standards[${i}].dueDate`);
  });
  if (model.standards.length === 0 && !model.traceabilityStatement && model.kind !== 'test_report') {
    throw new CertificateModelError('standards', 'must name the standards used (or give a traceabilityStatement)');
  }
  validateTables(model.results, 'results');
  if (model.asFound !== undefined) validateTables(model.asFound, 'asFound');
  if (model.kind === 'test_report') validateTestReportUncertainty(model.results);
  const tables = [...model.results, ...(model.asFound ?? [])];
  if (tables.some((t) => t.rows.some((r) => r.expandedUncertainty !== undefined)) && !model.uncertainty) {
    throw new CertificateModelError(
      'uncertainty',
      'is required when results state an expanded uncertainty (coverage probability, 7.8.4)',
    );
  }
  if (model.uncertainty) {
    decimal(model.uncertainty.coverageProbability, 'uncertainty.coverageProbability');
    text(model.uncertainty.coverageProbability, 'uncertainty.coverageProbability');
    decimal(model.uncertainty.coverageFactor, 'uncertainty.coverageFactor');
  }
  if (model.decisionRule) oneOf(model.decisionRule.rule, ['simple', 'guarded'], 'decisionRule.rule');
  if (model.conformity) {
    oneOf(model.conformity.decision, CONFORMITY_DECISIONS, 'conformity.decision');
    if (!model.decisionRule)
      throw new CertificateModelError('decisionRule', 'is required with a conformity statement (ILAC-G8)');
  }
  if (model.kind === 'verification_failure') validateFailureNotice(model);
  if (model.kind === 'verification') {
    if (!model.verification)
      throw new CertificateModelError('verification', 'is required for a verification certificate');
    oneOf(model.verification.type, ['initial', 'periodic', 'after_repair'], 'verification.type');
    if (!model.conformity)
      throw new CertificateModelError('conformity', 'is required for a verification certificate (ĐẠT / KHÔNG ĐẠT)');
    if (model.conformity.decision === 'pass') date(model.verification.validUntil, 'verification.validUntil');
    else date(model.verification.validUntil, 'verification.validUntil', false);
  }
  if (model.amendment) {
    text(model.amendment.replaces, 'amendment.replaces');
    text(model.amendment.reason, 'amendment.reason');
    date(model.amendment.replacesIssueDate, 'amendment.replacesIssueDate', false);
  }
  text(model.authorisedSignatory?.name, 'authorisedSignatory.name');
  text(model.technician?.name, 'technician.name', model.technician !== undefined);
  text(model.verificationUrl, 'verificationUrl');
  if (!/^https?:\/\/\S+$/.test(model.verificationUrl))
    throw new CertificateModelError('verificationUrl', 'must be an http(s) URL');
}
