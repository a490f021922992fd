import {
  isVerificationKind,
  type CertificateKind,
  type CertificateModel,
  type ConformityDecision,
  type DecisionRule,
  type UncertaintyStatement,
  type VerificationType,
} from './certificate-model.js';
import { formatNumber } from './number-format.js';

/** A label or sentence in Vietnamese with its English translation (printed beneath, smaller). */
export interface Bilingual {
  vi: string;
  en: string;
}

const bi = (vi: string, en: string): Bilingual => ({ vi, en });

/** 'YYYY-MM-DD' → 'DD/MM/YYYY', the way dates are written in Vietnam; string surgery only, no time zones. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export const TITLES: Record<CertificateKind, Bilingual> = {
  verification: bi('GIẤY CHỨNG NHẬN KIỂM ĐỊNH', 'VERIFICATION CERTIFICATE'),
  calibration: bi('GIẤY CHỨNG NHẬN HIỆU CHUẨN', 'CALIBRATION CERTIFICATE'),
  test_report: bi('PHIẾU KẾT QUẢ THỬ NGHIỆM', 'TEST REPORT'),
  verification_failure: bi('THÔNG BÁO KẾT QUẢ KIỂM ĐỊNH KHÔNG ĐẠT', 'NOTICE OF FAILED VERIFICATION'),
};

/** How the document calls itself inside sentences. */
const DOCUMENT_NOUN: Record<CertificateKind, Bilingual> = {
  verification: bi('giấy chứng nhận', 'certificate'),
  calibration: bi('giấy chứng nhận', 'certificate'),
  test_report: bi('phiếu kết quả thử nghiệm', 'test report'),
  verification_failure: bi('thông báo', 'notice'),
};

const ACTIVITY: Record<CertificateKind, Bilingual> = {
  verification: bi('kiểm định', 'verification'),
  calibration: bi('hiệu chuẩn', 'calibration'),
  test_report: bi('thử nghiệm', 'testing'),
  verification_failure: bi('kiểm định', 'verification'),
};

export function fieldLabels(kind: CertificateKind) {
  const sample = kind === 'test_report';
  return {
    number: bi('Số', 'No.'),
    item: sample ? bi('Tên mẫu', 'Sample') : bi('Tên phương tiện đo', 'Measuring instrument'),
    model: bi('Kiểu', 'Model / type'),
    serial: sample ? bi('Mã số mẫu', 'Sample code') : bi('Số sản xuất', 'Serial number'),
    manufacturer: bi('Cơ sở sản xuất', 'Manufacturer'),
    range: bi('Phạm vi đo', 'Measuring range'),
    resolution: bi('Độ phân giải', 'Resolution'),
    accuracyClass: bi('Cấp chính xác', 'Accuracy class'),
    otherIdentification: bi('Đặc điểm nhận dạng', 'Other identification'),
    owner: bi('Cơ sở sử dụng', 'Owner'),
    placeOfUse: bi('Địa điểm sử dụng', 'Place of use'),
    customer: bi('Khách hàng', 'Customer'),
    method: {
      verification: bi('Quy trình kiểm định', 'Verification procedure'),
      calibration: bi('Quy trình hiệu chuẩn', 'Calibration procedure'),
      test_report: bi('Phương pháp thử', 'Test method'),
      verification_failure: bi('Quy trình kiểm định', 'Verification procedure'),
    }[kind],
    verificationType: bi('Hình thức kiểm định', 'Type of verification'),
    receiptDate: bi('Ngày nhận', 'Date of receipt'),
    measurementDates: bi(`Ngày ${ACTIVITY[kind].vi}`, `Date of ${ACTIVITY[kind].en}`),
    place: bi(`Địa điểm ${ACTIVITY[kind].vi}`, `Place of ${ACTIVITY[kind].en}`),
    environment: bi('Điều kiện môi trường', 'Environmental conditions'),
    temperature: bi('Nhiệt độ', 'Temperature'),
    humidity: bi('Độ ẩm', 'Relative humidity'),
    pressure: bi('Áp suất khí quyển', 'Atmospheric pressure'),
    standards: bi('Chuẩn đo lường sử dụng', 'Measurement standards used'),
    traceability: bi('Tính liên kết chuẩn', 'Metrological traceability'),
    issueDate: bi('Ngày ban hành', 'Date of issue'),
    validUntil: bi('Có hiệu lực đến', 'Valid until'),
    stampNumber: bi('Số tem kiểm định', 'Verification stamp No.'),
    conclusion: bi('Kết luận', 'Conclusion'),
    conformity: bi('Tuyên bố sự phù hợp', 'Statement of conformity'),
    decisionRule: bi('Quy tắc quyết định', 'Decision rule'),
    uncertainty: bi('Độ không đảm bảo đo', 'Measurement uncertainty'),
    remarks: bi('Ghi chú', 'Remarks'),
    technician: bi('Người thực hiện', 'Performed by'),
    signatory: bi('Người có thẩm quyền ký', 'Authorised signatory'),
    digitallySigned: bi('(Đã ký số)', '(Digitally signed)'),
    scanToVerify: bi('Quét để tra cứu', 'Scan to verify'),
    verifyAt: bi('Tra cứu tại', 'Verify at'),
    amendment: bi('SỬA ĐỔI', 'AMENDMENT'),
    results: bi(`KẾT QUẢ ${ACTIVITY[kind].vi.toUpperCase()}`, `${ACTIVITY[kind].en.toUpperCase()} RESULTS`),
    asFound: bi('Kết quả trước khi hiệu chỉnh (as found)', 'Results before adjustment (as found)'),
    asLeft: bi('Kết quả sau khi hiệu chỉnh (as left)', 'Results after adjustment (as left)'),
    continued: bi('(tiếp theo)', '(continued)'),
    sampling: bi('Thông tin lấy mẫu', 'Sampling'),
    sentByCustomer: bi('Mẫu do khách hàng gửi', 'Sample sent by the customer'),
    deviations: bi('Sai lệch so với phương pháp', 'Deviations from the methods'),
    noDeviations: bi('Không có', 'None'),
    page: (page: number, pages: number) => `Trang ${page} / ${pages} — Page ${page} of ${pages}`,
  };
}

export const VERIFICATION_TYPES: Record<VerificationType, Bilingual> = {
  initial: bi('Ban đầu', 'Initial'),
  periodic: bi('Định kỳ', 'Periodic'),
  after_repair: bi('Sau sửa chữa', 'After repair'),
};

export function columnLabels(kind: CertificateKind) {
  const test = kind === 'test_report';
  return {
    label: test ? bi('Chỉ tiêu', 'Parameter') : bi('Điểm đo', 'Point'),
    unit: bi('Đơn vị', 'Unit'),
    nominal: bi('Giá trị danh định', 'Nominal value'),
    reference: bi('Giá trị chuẩn', 'Reference value'),
    indicated: test ? bi('Kết quả', 'Result') : bi('Giá trị chỉ thị', 'Indicated value'),
    error: bi('Sai số', 'Error'),
    expandedUncertainty: bi('Độ KĐBĐ mở rộng U', 'Expanded uncertainty U'),
    coverageFactor: bi('Hệ số phủ k', 'Coverage factor k'),
    mpe: test ? bi('Yêu cầu', 'Requirement') : bi('Sai số lớn nhất cho phép', 'MPE'),
    decision: bi('Đánh giá', 'Decision'),
    ordinal: bi('STT', 'No.'),
    method: bi('Phương pháp thử', 'Test method'),
    result: bi('Kết quả', 'Result'),
    requirement: bi('Mức quy định', 'Specified limit'),
  };
}

/** Verification speaks of ĐẠT / KHÔNG ĐẠT (pass / fail); calibration and testing of conformity. */
export function decisionWords(kind: CertificateKind, decision: ConformityDecision): Bilingual {
  if (isVerificationKind(kind)) {
    return {
      pass: bi('Đạt', 'Pass'),
      fail: bi('Không đạt', 'Fail'),
      conditional_pass: bi('Đạt có điều kiện', 'Conditional pass'),
      conditional_fail: bi('Không đạt có điều kiện', 'Conditional fail'),
    }[decision];
  }
  if (kind === 'test_report') {
    return {
      pass: bi('Đạt', 'Pass'),
      fail: bi('Không đạt', 'Fail'),
      conditional_pass: bi('Đạt có điều kiện', 'Conditional pass'),
      conditional_fail: bi('Không đạt có điều kiện', 'Conditional fail'),
    }[decision];
  }
  return {
    pass: bi('Phù hợp', 'Conforms'),
    fail: bi('Không phù hợp', 'Does not conform'),
    conditional_pass: bi('Phù hợp có điều kiện', 'Conditional pass'),
    conditional_fail: bi('Không phù hợp có điều kiện', 'Conditional fail'),
  }[decision];
}

/** The verification verdict as printed in large type. */
export function verdict(decision: ConformityDecision): Bilingual {
  return decision === 'pass'
    ? bi('ĐẠT', 'PASS')
    : decision === 'fail'
      ? bi('KHÔNG ĐẠT', 'FAIL')
      : decisionWords('verification', decision);
}

/** Under a test report's table: what its two marks mean. */
export function testMarksSentence(accredited: boolean, subcontracted: boolean): Bilingual {
  const vi: string[] = [];
  const en: string[] = [];
  if (accredited) {
    vi.push('(*) Phép thử được công nhận (VILAS)');
    en.push('(*) Accredited test (VILAS)');
  }
  if (subcontracted) {
    vi.push('(**) Phép thử do nhà thầu phụ thực hiện');
    en.push('(**) Test performed by a subcontractor');
  }
  return bi(vi.join('; '), en.join('; '));
}

export function conformitySentence(model: CertificateModel): Bilingual {
  const c = model.conformity!;
  if (c.text) return bi(c.text, c.textEn ?? '');
  const specVi = c.specification ?? model.method.code;
  const spec = bi(specVi, c.specificationEn ?? specVi);
  if (isVerificationKind(model.kind)) {
    const instrument = bi('Phương tiện đo', 'The instrument');
    switch (c.decision) {
      case 'pass':
        return bi(
          `${instrument.vi} đạt yêu cầu kỹ thuật đo lường theo ${spec.vi}.`,
          `${instrument.en} meets the metrological requirements of ${spec.en}.`,
        );
      case 'fail':
        return bi(
          `${instrument.vi} không đạt yêu cầu kỹ thuật đo lường theo ${spec.vi}.`,
          `${instrument.en} does not meet the metrological requirements of ${spec.en}.`,
        );
      case 'conditional_pass':
      case 'conditional_fail': {
        const w = decisionWords('verification', c.decision);
        return bi(`${w.vi} so với yêu cầu của ${spec.vi}.`, `${w.en} against the requirements of ${spec.en}.`);
      }
    }
  }
  const w = decisionWords(model.kind, c.decision);
  if (model.kind === 'test_report')
    return bi(
      `Đánh giá chung: ${w.vi.toUpperCase()} — mẫu thử ${c.decision === 'pass' ? 'đạt' : c.decision === 'fail' ? 'không đạt' : w.vi.toLowerCase()} theo ${spec.vi}.`,
      `Overall: ${w.en.toUpperCase()} — the sample judged against ${spec.en}.`,
    );
  return bi(`${w.vi} so với ${spec.vi}.`, `${w.en} — judged against ${spec.en}.`);
}

export function decisionRuleSentence(rule: DecisionRule, kind: CertificateKind = 'calibration'): Bilingual {
  if (rule.text) return bi(rule.text, rule.textEn ?? '');
  if (rule.rule === 'guarded' && isVerificationKind(kind)) {
    // kiểm định is pass or fail: a guard band can only move results to fail, never to "conditional".
    const w = guardBand(rule.guardBand ?? 'U');
    return bi(
      `Chấp nhận có dải bảo vệ w = ${w.vi} theo ILAC-G8:09/2019: đạt khi |sai số| ≤ MPE − w. Kết quả kiểm định chỉ là Đạt hoặc Không đạt: mọi kết quả khác, kể cả kết quả nằm trong dải bảo vệ, là không đạt.`,
      `Guarded acceptance with guard band w = ${w.en}, ILAC-G8:09/2019: passes when |error| ≤ MPE − w. A verification is pass or fail only: any other result, one within the guard band included, is a fail.`,
    );
  }
  if (rule.rule === 'simple') {
    return bi(
      'Chấp nhận đơn giản (rủi ro chia sẻ) theo ILAC-G8:09/2019: kết quả được coi là phù hợp khi sai số đo nằm trong giới hạn sai số lớn nhất cho phép (MPE); độ không đảm bảo đo không được trừ vào giới hạn.',
      'Simple acceptance (shared risk), ILAC-G8:09/2019: a result conforms when the measured error lies within the maximum permissible error (MPE); the uncertainty is not deducted from the limit.',
    );
  }
  const w = guardBand(rule.guardBand ?? 'U');
  return bi(
    `Chấp nhận có dải bảo vệ w = ${w.vi} theo ILAC-G8:09/2019: phù hợp khi |sai số| ≤ MPE − w; không phù hợp khi |sai số| > MPE + w; trong khoảng giữa, kết quả được báo cáo là phù hợp hoặc không phù hợp có điều kiện.`,
    `Guarded acceptance with guard band w = ${w.en}, ILAC-G8:09/2019: conforms when |error| ≤ MPE − w; does not conform when |error| > MPE + w; in between, the result is reported as a conditional pass or conditional fail.`,
  );
}

/** "1.5·U" → "1,5·U" in Vietnamese: the factor is a number, the rest a symbol. */
function guardBand(w: string): Bilingual {
  const m = /^([^·]+)·(.*)$/.exec(w);
  return m ? bi(`${formatNumber(m[1], 'vi')}·${m[2]}`, `${formatNumber(m[1], 'en')}·${m[2]}`) : bi(w, w);
}

export function uncertaintySentence(u: UncertaintyStatement): Bilingual {
  const k = u.coverageFactor
    ? bi(`k = ${formatNumber(u.coverageFactor, 'vi')}`, `k = ${formatNumber(u.coverageFactor, 'en')}`)
    : bi('k ghi trong bảng kết quả', 'k stated in the results table');
  const p = bi(formatNumber(u.coverageProbability, 'vi'), formatNumber(u.coverageProbability, 'en'));
  return bi(
    `Độ không đảm bảo đo mở rộng U được công bố bằng độ không đảm bảo đo chuẩn tổng hợp nhân với hệ số phủ ${k.vi}, tương ứng với xác suất phủ xấp xỉ ${p.vi} %. Độ không đảm bảo đo được đánh giá theo JCGM 100:2008 (GUM).`,
    `The expanded uncertainty U is the combined standard uncertainty multiplied by the coverage factor ${k.en}, corresponding to a coverage probability of approximately ${p.en} %. It was evaluated according to JCGM 100:2008 (GUM).`,
  );
}

/** The note under a table whose means carry one digit beyond the resolution. */
export function meanExtraDigitSentence(): Bilingual {
  return bi(
    'Giá trị trung bình được ghi thêm một chữ số so với độ phân giải của phương tiện đo, theo quy trình.',
    "Mean values are given to one digit beyond the instrument's resolution, as the procedure provides.",
  );
}

/** The national heading (quốc hiệu, tiêu ngữ) Vietnamese administrative documents carry at the top. */
export const NATIONAL_HEADING = {
  motto: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  slogan: 'Độc lập – Tự do – Hạnh phúc',
} as const;

export function traceabilitySentence(model: CertificateModel): Bilingual {
  if (model.traceabilityStatement) return bi(model.traceabilityStatement, model.traceabilityStatementEn ?? '');
  const codes = model.standards.map((s) => s.code).join(', ');
  const issuers = [...new Set(model.standards.map((s) => s.issuedBy))].join('; ');
  return bi(
    `Kết quả đo được liên kết chuẩn đến chuẩn quốc gia và hệ đơn vị đo quốc tế (SI) thông qua chuẩn ${codes} nêu trên, được hiệu chuẩn bởi ${issuers} (số giấy chứng nhận ghi trong bảng).`,
    `The results are metrologically traceable to national standards and to the International System of Units (SI) through the standards ${codes} listed above, calibrated by ${issuers} (certificate numbers in the table).`,
  );
}

export function amendmentSentence(model: CertificateModel): Bilingual {
  const a = model.amendment!;
  const noun = DOCUMENT_NOUN[model.kind];
  const date = a.replacesIssueDate ? formatDate(a.replacesIssueDate) : undefined;
  return bi(
    `${capitalise(noun.vi)} này thay thế ${noun.vi} số ${a.replaces}${date ? ` ngày ${date}` : ''}. Lý do: ${a.reason}`,
    `This ${noun.en} replaces ${noun.en} No. ${a.replaces}${date ? ` of ${date}` : ''}. Reason: ${a.reason}`,
  );
}

/** 7.8.2.1 (j): the results relate only to the item; and the usual "reproduce in full only". */
export function onlyThisItemSentence(kind: CertificateKind): Bilingual {
  if (kind === 'test_report') {
    return bi(
      'Kết quả thử nghiệm chỉ có giá trị đối với mẫu thử nêu trên.',
      'The test results relate only to the sample tested described above.',
    );
  }
  const a = ACTIVITY[kind];
  const noun = DOCUMENT_NOUN[kind];
  const done = isVerificationKind(kind) ? 'verified' : 'calibrated';
  return bi(
    `Các kết quả trong ${noun.vi} này chỉ có giá trị đối với phương tiện đo đã được ${a.vi} nêu trên.`,
    `The results in this ${noun.en} relate only to the item ${done} described above.`,
  );
}

export function reproduceInFullSentence(kind: CertificateKind): Bilingual {
  const noun = DOCUMENT_NOUN[kind];
  return bi(
    `Không được sao chép một phần ${noun.vi} này khi chưa có sự đồng ý bằng văn bản của phòng thí nghiệm.`,
    `This ${noun.en} shall not be reproduced except in full without the written approval of the laboratory.`,
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
