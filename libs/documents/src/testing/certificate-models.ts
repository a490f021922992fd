import type { CertificateModel, ResultRow } from '../certificate-model.js';

/**
 * Small factories of realistic certificate models, for specs and the benchmark. Not exported from
 * the lib's index: production code builds its models from approved results.
 */

/** Every Vietnamese vowel with every tone mark, both cases, plus đ/Đ: if one glyph is missing, a test sees it. */
export const ALL_VIETNAMESE_LETTERS = (() => {
  const bases = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const lower = bases.flatMap((b) => tones.map((t) => (b + t).normalize('NFC'))).join('') + 'đ';
  return lower + lower.toUpperCase();
})();

export function pressureRows(count: number): ResultRow[] {
  return Array.from({ length: count }, (_, i) => {
    const point = (i * 0.25).toFixed(2).replace('.', ',');
    return {
      nominal: point,
      reference: point === '0,00' ? '0,000' : `${point}1`,
      indicated: `${point}3`,
      error: i % 7 === 3 ? '−0,004' : '0,002',
      expandedUncertainty: '0,012',
      coverageFactor: '2,00',
      mpe: '±0,16',
      decision: 'pass' as const,
    };
  });
}

export function calibrationModel(overrides: Partial<CertificateModel> = {}): CertificateModel {
  return {
    kind: 'calibration',
    number: 'HC-2026/000123',
    issueDate: '2026-03-12',
    laboratory: {
      parentBody: 'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi',
      name: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng',
      nameEn: 'Technical Centre for Standards, Metrology and Quality',
      address: '56 Đường Hùng Vương, Phường Nghĩa Chánh, TP. Quảng Ngãi',
      accreditation: 'VILAS 1234',
      phone: '0255 3822 123',
      email: 'lab@tdc.example.vn',
    },
    customer: {
      name: 'Công ty TNHH Cơ khí Chính xác Đồng Tiến',
      address: 'Lô B2, Khu công nghiệp Tịnh Phong, huyện Sơn Tịnh',
      contact: 'Ông Nguyễn Văn Thưởng — 0905 123 456',
    },
    item: {
      typeName: 'Đồng hồ đo áp suất',
      typeNameEn: 'Pressure gauge',
      manufacturer: 'WIKA (Đức)',
      model: '213.53',
      serial: 'SN-77812-Ư',
      range: '(0 ÷ 16) bar',
      resolution: '0,2 bar',
      accuracyClass: '1,0',
      owner: 'Công ty TNHH Cơ khí Chính xác Đồng Tiến',
      placeOfUse: 'Xưởng khí nén số 2',
    },
    receiptDate: '2026-03-02',
    measurementDates: ['2026-03-05'],
    placeOfMeasurement: 'Phòng thí nghiệm áp suất của Trung tâm',
    method: {
      code: 'ĐLVN 76:2001',
      title: 'Áp kế kiểu lò xo — Quy trình hiệu chuẩn',
      version: 'HD-AS-01 lần ban hành 3',
    },
    environment: {
      temperature: { value: '23,4', unit: '°C' },
      humidity: { value: '58', unit: '%RH' },
      pressure: { value: '1008,6', unit: 'hPa' },
    },
    standards: [
      {
        code: 'AS-CT-02',
        name: 'Áp kế chuẩn hiện số (0 ÷ 25) bar, cấp 0,05',
        certificateNumber: 'V09.AS.1123.25',
        issuedBy: 'Viện Đo lường Việt Nam (VMI)',
        dueDate: '2027-01-15',
      },
      {
        code: 'NĐ-05',
        name: 'Nhiệt ẩm kế điện tử',
        certificateNumber: 'KT3-0456-25',
        issuedBy: 'Trung tâm Kỹ thuật 3 (QUATEST 3)',
        dueDate: '2026-11-30',
      },
    ],
    results: [{ title: 'Chiều tăng áp', titleEn: 'Increasing pressure', unit: 'bar', rows: pressureRows(9) }],
    uncertainty: { coverageProbability: '95' },
    decisionRule: { rule: 'simple' },
    conformity: { decision: 'pass', specification: 'cấp chính xác 1,0 (MPE ±0,16 bar)' },
    remarks: ['Áp kế được hiệu chuẩn ở vị trí thẳng đứng, môi chất dầu.'],
    authorisedSignatory: { name: 'Trần Thị Ngọc Hương', title: 'Phó Giám đốc', titleEn: 'Deputy Director' },
    technician: { name: 'Lê Quốc Đạt' },
    verificationUrl: 'https://lims.tdc.example.vn/verify/HC-2026%2F000123',
    ...overrides,
  };
}

export function verificationModel(overrides: Partial<CertificateModel> = {}): CertificateModel {
  return calibrationModel({
    kind: 'verification',
    number: 'KĐ-2026/004567',
    item: {
      typeName: 'Cột đo xăng dầu',
      typeNameEn: 'Fuel dispenser',
      manufacturer: 'Tatsuno (Nhật Bản)',
      model: 'SUNNY-NX',
      serial: 'TS-2291-Ơ',
      range: '(5 ÷ 50) L/min',
      accuracyClass: '0,5',
      owner: 'Cửa hàng xăng dầu Ấp Mới',
      placeOfUse: 'Quốc lộ 1A, xã Tịnh Ấn Tây',
    },
    method: { code: 'ĐLVN 10:2017', title: 'Cột đo xăng dầu — Quy trình kiểm định' },
    placeOfMeasurement: 'Tại nơi sử dụng',
    results: [
      {
        unit: '%',
        rows: [
          { nominal: '50', error: '0,12', mpe: '±0,5', decision: 'pass', label: 'Qmax' },
          { nominal: '25', error: '0,08', mpe: '±0,5', decision: 'pass', label: 'Qtb' },
          { nominal: '5', error: '−0,21', mpe: '±0,5', decision: 'pass', label: 'Qmin' },
        ],
      },
    ],
    uncertainty: undefined,
    conformity: { decision: 'pass' },
    verification: { type: 'periodic', validUntil: '2027-03-11', stampNumber: 'T-26-0012345' },
    verificationUrl: 'https://lims.tdc.example.vn/verify/K%C4%90-2026%2F004567',
    ...overrides,
  });
}

/** A fuel dispenser that failed at Qmin: its notice of failed verification (no validity, no stamp). */
export function failureNoticeModel(overrides: Partial<CertificateModel> = {}): CertificateModel {
  return verificationModel({
    kind: 'verification_failure',
    number: 'TBKĐ-2026-000007',
    results: [
      {
        unit: '%',
        rows: [
          { nominal: '50', error: '0,12', mpe: '±0,5', decision: 'pass', label: 'Qmax' },
          { nominal: '25', error: '0,08', mpe: '±0,5', decision: 'pass', label: 'Qtb' },
          { nominal: '5', error: '−0,73', mpe: '±0,5', decision: 'fail', label: 'Qmin' },
        ],
      },
    ],
    conformity: { decision: 'fail' },
    verification: { type: 'periodic' },
    verificationUrl: 'https://lims.tdc.example.vn/verify/TBK%C4%90-2026-000007',
    ...overrides,
  });
}

export function testReportModel(overrides: Partial<CertificateModel> = {}): CertificateModel {
  return calibrationModel({
    kind: 'test_report',
    number: 'TN-2026/000789',
    item: {
      typeName: 'Xi măng Portland hỗn hợp PCB40',
      serial: 'M-26-0311',
      manufacturer: 'Nhà máy xi măng Đồng Lâm',
      otherIdentification: 'Bao 50 kg, niêm phong số 00417',
    },
    method: { code: 'TCVN 6260:2020', title: 'Xi măng poóc lăng hỗn hợp — Yêu cầu kỹ thuật' },
    standards: [],
    traceabilityStatement: 'Các thiết bị đo dùng trong thử nghiệm được hiệu chuẩn, liên kết chuẩn đến chuẩn quốc gia.',
    traceabilityStatementEn: 'The measuring equipment used is calibrated with traceability to national standards.',
    results: [
      {
        rows: [
          {
            label: 'Cường độ nén 28 ngày',
            unit: 'MPa',
            indicated: '43,6',
            expandedUncertainty: '0,9',
            coverageFactor: '2',
            mpe: '≥ 40',
            decision: 'pass',
          },
          { label: 'Thời gian đông kết bắt đầu', unit: 'min', indicated: '135', mpe: '≥ 45', decision: 'pass' },
          { label: 'Độ nghiền mịn (Blaine)', unit: 'cm²/g', indicated: '3 820', mpe: '≥ 2 800', decision: 'pass' },
        ],
      },
    ],
    conformity: { decision: 'pass', specification: 'TCVN 6260:2020' },
    remarks: ['Mẫu do khách hàng tự lấy và gửi đến phòng thí nghiệm.'],
    ...overrides,
  });
}
