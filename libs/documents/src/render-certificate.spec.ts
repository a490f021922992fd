import { CertificateModelError } from './certificate-model.js';
import { renderCertificate } from './render-certificate.js';
import {
  calibrationModel,
  failureNoticeModel,
  pressureRows,
  testReportModel,
  verificationModel,
} from './testing/certificate-models.js';
import { flat, hasTool, pdfPages, qrCodesOnFirstPage, skipping } from './testing/pdf-tools.js';
import { deflateSync, crc32 } from 'node:zlib';

const canRead = hasTool('pdftotext');

/** Page texts, or undefined (with a note) when pdftotext is missing. */
async function pagesOf(pdf: Buffer, what: string): Promise<string[] | undefined> {
  if (!canRead) {
    skipping('pdftotext', what);
    return undefined;
  }
  return pdfPages(pdf);
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('renderCertificate', () => {
  it('makes an A4 PDF with the certificate number, title and subject in its metadata', async () => {
    const pdf = await renderCertificate(calibrationModel());
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toMatch(/\/Lang \(vi-VN\)/);
  });

  it('carries every element ISO/IEC 17025 7.8 asks of a calibration certificate', async () => {
    const model = calibrationModel();
    const pdf = await renderCertificate(model);
    const pages = await pagesOf(pdf, 'checking the text of the calibration certificate');
    if (!pages) return;
    const text = flat(pages.join('\n'));
    // Title, laboratory (name, address, accreditation), number.
    expect(text).toContain('GIẤY CHỨNG NHẬN HIỆU CHUẨN');
    expect(text).toContain('CALIBRATION CERTIFICATE');
    expect(text).toContain('TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG');
    expect(text).toContain('56 Đường Hùng Vương, Phường Nghĩa Chánh, TP. Quảng Ngãi');
    expect(text).toContain('VILAS 1234');
    // Customer and contact; item identification.
    expect(text).toContain('Công ty TNHH Cơ khí Chính xác Đồng Tiến');
    expect(text).toContain('Ông Nguyễn Văn Thưởng — 0905 123 456');
    expect(text).toContain('Đồng hồ đo áp suất');
    expect(text).toContain('SN-77812-Ư');
    expect(text).toContain('WIKA (Đức)');
    expect(text).toContain('213.53');
    // Method, dates, place, environment with units.
    expect(text).toContain('ĐLVN 76:2001 (HD-AS-01 lần ban hành 3)');
    expect(text).toContain('Ngày nhận');
    expect(text).toContain('Date of receipt');
    expect(text).toContain('02/03/2026');
    expect(text).toContain('05/03/2026');
    expect(text).toContain('Ngày ban hành / Date of issue: 12/03/2026');
    expect(text).toContain('Phòng thí nghiệm áp suất của Trung tâm');
    expect(text).toContain('Nhiệt độ / Temperature: 23,4 °C');
    expect(text).toContain('Độ ẩm / Relative humidity: 58 %RH');
    expect(text).toContain('Áp suất khí quyển / Atmospheric pressure: 1008,6 hPa');
    // Labels in Vietnamese with English beneath, diacritics intact.
    expect(text).toContain('Tên phương tiện đo Measuring instrument');
    expect(text).toContain('Quy trình hiệu chuẩn Calibration procedure');
    expect(text).toContain('Điều kiện môi trường Environmental conditions');
    // Standards and traceability.
    expect(text).toContain('V09.AS.1123.25');
    expect(text).toContain('Viện Đo lường Việt Nam (VMI)');
    expect(text).toContain('15/01/2027');
    expect(text).toContain(
      'Kết quả đo được liên kết chuẩn đến chuẩn quốc gia và hệ đơn vị đo quốc tế (SI) thông qua chuẩn AS-CT-02, NĐ-05',
    );
    expect(text).toContain('metrologically traceable to national standards');
    // Results with units, U, k and the coverage probability.
    expect(text).toContain('Độ KĐBĐ mở rộng U');
    expect(text).toContain('Hệ số phủ k');
    expect(text).toContain('(bar)');
    expect(text).toContain('xác suất phủ xấp xỉ 95 %');
    expect(text).toContain('coverage probability of approximately 95 %');
    // Decision rule and conformity.
    expect(text).toContain('Quy tắc quyết định Decision rule');
    expect(text).toContain('Chấp nhận đơn giản (rủi ro chia sẻ) theo ILAC-G8:09/2019');
    expect(text).toContain('Phù hợp so với cấp chính xác 1,0 (MPE ±0,16 bar).');
    // Results relate only to the item; signatory and technician; verification link.
    expect(text).toContain(
      'Các kết quả trong giấy chứng nhận này chỉ có giá trị đối với phương tiện đo đã được hiệu chuẩn nêu trên.',
    );
    expect(text).toContain('The results in this certificate relate only to the item calibrated described above.');
    expect(text).toContain('Trần Thị Ngọc Hương');
    expect(text).toContain('PHÓ GIÁM ĐỐC');
    expect(text).toContain('Lê Quốc Đạt');
    expect(text).toContain(model.verificationUrl);
  });

  it('prints the number and "page x of y" on every page', async () => {
    const pdf = await renderCertificate(calibrationModel());
    const pages = await pagesOf(pdf, 'reading the page headers');
    if (!pages) return;
    expect(pages).toHaveLength(pageCount(pdf));
    pages.forEach((page, i) => {
      expect(page).toContain('Số / No.: HC-2026/000123');
      expect(page).toContain(`Trang ${i + 1} / ${pages.length} — Page ${i + 1} of ${pages.length}`);
    });
  });

  it('prints measured values with the digits given, in the decimal comma, the error to U and never past 8 significant digits', async () => {
    const rows = [
      {
        nominal: '10,00',
        reference: '10,0040',
        indicated: '10.000',
        error: '−0,0040',
        expandedUncertainty: '0,0012',
        coverageFactor: '2,00',
      },
      {
        nominal: '20',
        reference: '19,9999999',
        indicated: '20,1',
        error: '0,300',
        expandedUncertainty: '1.2E-3',
        coverageFactor: '2,13',
      },
    ];
    const pdf = await renderCertificate(
      calibrationModel({ results: [{ unit: 'mm', rows }], conformity: undefined, decisionRule: undefined }),
    );
    const pages = await pagesOf(pdf, 'reading the printed values');
    if (!pages) return;
    const text = flat(pages.join(' '));
    for (const value of ['10,00', '10,0040', '10,000', '−0,0040', '0,0012', '20,000000', '20,1', '0,3000', '2,13']) {
      expect(text).toContain(` ${value} `);
    }
    expect(text).not.toContain('1.2E-3');
    expect(text).not.toContain('Tuyên bố sự phù hợp');
    expect(text).not.toContain('Quy tắc quyết định');
  });

  it('breaks a 60-row table over pages, repeating its header row, losing and doubling no row', async () => {
    const rows = pressureRows(60);
    const pdf = await renderCertificate(
      calibrationModel({ results: [{ title: 'Chiều tăng áp', titleEn: 'Increasing pressure', unit: 'bar', rows }] }),
    );
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(3);
    const pages = await pagesOf(pdf, 'reading the long table');
    if (!pages) return;
    const withTable = pages.filter((p) => p.includes('Giá trị chuẩn'));
    expect(withTable.length).toBeGreaterThanOrEqual(2);
    for (const page of withTable.slice(1))
      expect(flat(page)).toContain('Chiều tăng áp (tiếp theo) Increasing pressure (continued)');
    pages.forEach((page, i) => {
      expect(page).toContain('Số / No.: HC-2026/000123');
      expect(page).toContain(`Trang ${i + 1} / ${pages.length} — Page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join('\n');
    expect(countOf(all, '±0,16')).toBe(60 + 2); // every row's MPE, plus the conformity sentence in both languages
    for (const row of rows) expect(all).toContain(row.indicated!);
  });

  it('shows as-found and as-left results when the item was adjusted', async () => {
    const pdf = await renderCertificate(
      calibrationModel({
        asFound: [{ unit: 'bar', rows: pressureRows(3).map((r) => ({ ...r, indicated: `${r.nominal}9` })) }],
      }),
    );
    const pages = await pagesOf(pdf, 'reading as-found / as-left');
    if (!pages) return;
    const text = flat(pages.join(' '));
    const found = text.indexOf('Kết quả trước khi hiệu chỉnh (as found) Results before adjustment (as found)');
    const left = text.indexOf('Kết quả sau khi hiệu chỉnh (as left) Results after adjustment (as left)');
    expect(found).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(found);
    expect(text.slice(found, left)).toContain('0,509');
  });

  it('names the certificate an amendment replaces, and why (7.8.8)', async () => {
    const amendment = { replaces: 'HC-2026/000100', replacesIssueDate: '2026-03-01', reason: 'Số sản xuất ghi nhầm.' };
    const pages = await pagesOf(await renderCertificate(calibrationModel({ amendment })), 'reading the amendment');
    if (!pages) return;
    const text = flat(pages[0]);
    expect(text).toContain('SỬA ĐỔI AMENDMENT');
    expect(text).toContain(
      'Giấy chứng nhận này thay thế giấy chứng nhận số HC-2026/000100 ngày 01/03/2026. Lý do: Số sản xuất ghi nhầm.',
    );
    expect(text).toContain('This certificate replaces certificate No. HC-2026/000100 of 01/03/2026.');
  });

  it('gives a verification its verdict, validity date and stamp', async () => {
    const pdf = await renderCertificate(verificationModel());
    const pages = await pagesOf(pdf, 'reading the verification certificate');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain('GIẤY CHỨNG NHẬN KIỂM ĐỊNH');
    expect(text).toContain('VERIFICATION CERTIFICATE');
    expect(text).toContain('ĐẠT / PASS');
    expect(text).toContain('Phương tiện đo đạt yêu cầu kỹ thuật đo lường theo ĐLVN 10:2017.');
    expect(text).toContain('Có hiệu lực đến 11/03/2027');
    expect(text).toContain('Valid until');
    expect(text).toContain('T-26-0012345');
    expect(text).toContain('Định kỳ / Periodic');
    expect(text).toContain('đã được kiểm định nêu trên');
  });

  it('says KHÔNG ĐẠT and gives no validity when a verification fails', async () => {
    const model = verificationModel({
      conformity: { decision: 'fail' },
      verification: { type: 'after_repair', validUntil: '2027-03-11' },
    });
    model.results[0].rows[2] = { ...model.results[0].rows[2], error: '−0,72', decision: 'fail' };
    const pages = await pagesOf(await renderCertificate(model), 'reading the failed verification');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain('KHÔNG ĐẠT / FAIL');
    expect(text).toContain('Không đạt Fail');
    expect(text).not.toContain('Có hiệu lực đến');
    expect(text).toContain('Sau sửa chữa / After repair');
  });

  it('lays out a test report by parameter, with per-row units', async () => {
    const pages = await pagesOf(await renderCertificate(testReportModel()), 'reading the test report');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain('PHIẾU KẾT QUẢ THỬ NGHIỆM');
    expect(text).toContain('TEST REPORT');
    expect(text).toContain('Cường độ nén 28 ngày');
    expect(text).toContain('cm²/g');
    expect(text).toContain('≥ 40');
    expect(text).toContain('Kết quả thử nghiệm chỉ có giá trị đối với mẫu thử nêu trên.');
    expect(text).toContain('Đánh giá chung: ĐẠT — mẫu thử đạt theo TCVN 6260:2020.');
  });

  it('prints a test report as STT / Chỉ tiêu / Đơn vị / Phương pháp thử / Kết quả / Mức quy định / Đánh giá', async () => {
    const model = testReportModel({
      results: [
        {
          rows: [
            {
              label: 'Hàm lượng lưu huỳnh',
              labelEn: 'Sulphur content',
              unit: 'mg/kg',
              method: 'TCVN 6701',
              result: '180',
              requirement: '≤ 150',
              decision: 'fail',
              accredited: true,
            },
            {
              label: 'Hàm lượng benzen',
              unit: '% thể tích',
              method: 'TCVN 6703',
              result: '< 0,2',
              requirement: '≤ 2,5',
              decision: 'pass',
            },
            {
              label: 'Điểm sôi đầu',
              unit: '°C',
              method: 'TCVN 2698',
              result: '35,2',
              requirement: 'Báo cáo',
              subcontracted: true,
            },
          ],
        },
      ],
      conformity: { decision: 'fail', specification: 'QCVN 01:2022/BKHCN' },
      decisionRule: { rule: 'simple' },
      deviations: 'Không có',
    });
    const pages = await pagesOf(await renderCertificate(model), 'reading the test report table');
    if (!pages) return;
    const text = flat(pages.join(' '));
    for (const head of ['STT', 'Chỉ tiêu', 'Đơn vị', 'Phương pháp thử', 'Kết quả', 'Mức quy định', 'Đánh giá'])
      expect(text).toContain(head);
    expect(text).toContain('< 0,2');
    expect(text).toContain('1 (*)');
    expect(text).toContain('3 (**)');
    expect(text).toContain('Không đạt');
    expect(text).toContain('Đánh giá chung: KHÔNG ĐẠT');
    expect(text).toContain('(*) Phép thử được công nhận (VILAS)');
    expect(text).toContain('Sai lệch so với phương pháp');
  });

  it('normalises decomposed Vietnamese (NFD) to the precomposed letters the font has', async () => {
    const customer = {
      name: 'Hợp tác xã Thương mại Quảng Ngãi'.normalize('NFD'),
      address: 'Thôn Phước Lộc'.normalize('NFD'),
    };
    const pages = await pagesOf(await renderCertificate(calibrationModel({ customer })), 'reading NFD text');
    if (!pages) return;
    expect(flat(pages[0])).toContain('Hợp tác xã Thương mại Quảng Ngãi'.normalize('NFC'));
  });

  it('puts a QR code on page 1 that opens the verification URL', async () => {
    const model = calibrationModel();
    const pdf = await renderCertificate(model);
    if (!hasTool('zbarimg') || !hasTool('pdftoppm')) return skipping('zbarimg', 'decoding the QR code');
    expect(qrCodesOnFirstPage(pdf)).toEqual([model.verificationUrl]);
  });

  it('reads "30,5 °C" and "k = 2,00" in Vietnamese lines and the point in English lines', async () => {
    const model = calibrationModel({
      environment: { temperature: { value: '30.5', unit: '°C' }, humidity: { value: '61.25', unit: '%RH' } },
      uncertainty: { coverageProbability: '95.45', coverageFactor: '2.00' },
      decisionRule: { rule: 'guarded', guardBand: '1.5·U' },
      conformity: {
        decision: 'pass',
        specification: 'ĐLVN 76:2001, cấp chính xác 1,6',
        specificationEn: 'ĐLVN 76:2001, accuracy class 1.6',
      },
    });
    const pages = await pagesOf(await renderCertificate(model), 'reading decimal signs');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain('Nhiệt độ / Temperature: 30,5 °C');
    expect(text).toContain('Độ ẩm / Relative humidity: 61,25 %RH');
    expect(text).toContain('hệ số phủ k = 2,00, tương ứng với xác suất phủ xấp xỉ 95,45 %');
    expect(text).toContain(
      'coverage factor k = 2.00, corresponding to a coverage probability of approximately 95.45 %',
    );
    expect(text).toContain('Chấp nhận có dải bảo vệ w = 1,5·U');
    expect(text).toContain('Guarded acceptance with guard band w = 1.5·U');
    expect(text).toContain('Phù hợp so với ĐLVN 76:2001, cấp chính xác 1,6.');
    expect(text).toContain('Conforms — judged against ĐLVN 76:2001, accuracy class 1.6.');
    expect(text).not.toContain('30.5');
    expect(text).not.toContain('95,45 % coverage');
  });

  it('prints readings and means to the instrument resolution, and the MPE rounded outward', async () => {
    const rows = [
      { nominal: '1', reference: '1.0003', indicated: '1.2', error: '0.1997', expandedUncertainty: '0.00031' },
      { nominal: '2', reference: '2.0000', indicated: '0.40666666666666666667', mpe: '±0.10025' },
    ];
    const model = calibrationModel({
      results: [
        { unit: 'kg', resolution: '0.0001', rows: [rows[0]] },
        { unit: 'kg', resolution: '0.01', rows: [rows[1]] },
      ],
      conformity: undefined,
      decisionRule: undefined,
    });
    const pages = await pagesOf(await renderCertificate(model), 'reading the resolution');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain(' 1,2000 ');
    expect(text).toContain(' 0,19970 '); // to U's decimal place (U = 0,00031)
    expect(text).toContain(' 0,41 ');
    expect(text).toContain(' ±0,101 ');
    expect(text).not.toMatch(/0[.,]10025|0[.,]4066/);
    expect(text).not.toContain('một chữ số');
  });

  it('says in a note when means carry one digit beyond the resolution', async () => {
    const rows = [{ nominal: '2', reference: '2.0000', indicated: '0.40666666666666666667' }];
    const model = calibrationModel({
      results: [{ unit: 'kg', resolution: '0.01', meanExtraDigit: true, rows }],
      conformity: undefined,
      decisionRule: undefined,
    });
    const pages = await pagesOf(await renderCertificate(model), 'reading the extra digit');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain(' 0,407 ');
    expect(text).toContain('Giá trị trung bình được ghi thêm một chữ số so với độ phân giải của phương tiện đo');
    expect(text).toContain("Mean values are given to one digit beyond the instrument's resolution");
  });

  it('prints no number anywhere with more than 8 significant digits', async () => {
    const wild = calibrationModel({
      environment: { temperature: { value: '23.456789012345', unit: '°C' } },
      results: [
        {
          unit: 'kg',
          rows: [
            {
              nominal: '100',
              reference: '100.0333333333',
              indicated: '0.40666666666666666667',
              error: '100.0333333333',
              expandedUncertainty: '0.123456789',
              coverageFactor: '27000000000.123',
              mpe: '±0.100250000001',
            },
          ],
        },
      ],
      uncertainty: { coverageProbability: '95.4499736103642' },
    });
    for (const model of [calibrationModel(), verificationModel(), testReportModel(), wild]) {
      const pages = await pagesOf(await renderCertificate(model), 'counting significant digits');
      if (!pages) return;
      const numbers = pages.join(' ').match(/\d+(?:[.,]\d+)*/g) ?? [];
      // Leading zeros never count; an integer's trailing zeros are not significant either.
      const significant = (n: string) =>
        (/[.,]/.test(n) ? n.replace(/[.,]/g, '') : n.replace(/0+$/, '')).replace(/^0+/, '').length;
      const long = numbers.filter((n) => significant(n) > 8);
      expect(long).toEqual([]);
    }
  });

  it('carries the national heading at the top of page 1 only', async () => {
    const pages = await pagesOf(await renderCertificate(calibrationModel()), 'reading the national heading');
    if (!pages) return;
    expect(flat(pages[0])).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flat(pages[0])).toContain('Độc lập – Tự do – Hạnh phúc');
    expect(flat(pages[0]).indexOf('CỘNG HÒA')).toBeLessThan(flat(pages[0]).indexOf('GIẤY CHỨNG NHẬN HIỆU CHUẨN'));
    for (const page of pages.slice(1)) expect(page).not.toContain('CỘNG HÒA');
  });

  it('writes the English conclusion of a verification in English', async () => {
    const model = verificationModel({
      conformity: {
        decision: 'fail',
        specification: 'ĐLVN 10:2017, cấp chính xác 0,5',
        specificationEn: 'ĐLVN 10:2017, accuracy class 0.5',
      },
      verification: { type: 'periodic' },
    });
    const pages = await pagesOf(await renderCertificate(model), 'reading the English conclusion');
    if (!pages) return;
    const lines = pages.join('\n').split('\n');
    const english = lines.find((line) => line.includes('does not meet the metrological requirements'));
    expect(english).toBe(
      'The instrument does not meet the metrological requirements of ĐLVN 10:2017, accuracy class 0.5.',
    );
    expect(flat(pages.join(' '))).toContain(
      'Phương tiện đo không đạt yêu cầu kỹ thuật đo lường theo ĐLVN 10:2017, cấp chính xác 0,5.',
    );
    expect(flat(pages.join(' '))).toContain('KHÔNG ĐẠT / FAIL');
  });

  it('says a verification under a guarded rule is pass or fail, never conditional', async () => {
    const model = verificationModel({ decisionRule: { rule: 'guarded', guardBand: 'U' } });
    const pages = await pagesOf(await renderCertificate(model), 'reading the decision rule of a verification');
    if (!pages) return;
    const text = flat(pages.join(' '));
    expect(text).toContain('kể cả kết quả nằm trong dải bảo vệ, là không đạt');
    expect(text).toContain('one within the guard band included, is a fail');
    expect(text).not.toMatch(/có điều kiện|conditional/);
  });

  it('draws the configured logo once per document, on every page', async () => {
    const plain = await renderCertificate(calibrationModel());
    const pdf = await renderCertificate(calibrationModel(), { logo: tinyPng() });
    const raw = pdf.toString('latin1');
    expect(plain.toString('latin1')).not.toContain('/Subtype /Image');
    expect(countOf(raw, '/Subtype /Image')).toBe(1);
    expect(countOf(raw, '/I1 ')).toBeGreaterThanOrEqual(pageCount(pdf));
  });

  it('refuses an invalid model before drawing anything', async () => {
    await expect(renderCertificate(calibrationModel({ number: '' }))).rejects.toBeInstanceOf(CertificateModelError);
  });

  describe('a notice of failed verification', () => {
    it('lists the failing point with its error and MPE, says KHÔNG ĐẠT, and gives no validity or stamp', async () => {
      const model = failureNoticeModel();
      const pdf = await renderCertificate(model);
      const pages = await pagesOf(pdf, 'checking the text of the failure notice');
      if (!pages) return;
      const text = flat(pages.join('\n'));
      expect(text).toContain('THÔNG BÁO KẾT QUẢ KIỂM ĐỊNH KHÔNG ĐẠT');
      expect(text).toContain('NOTICE OF FAILED VERIFICATION');
      expect(text).not.toContain('GIẤY CHỨNG NHẬN KIỂM ĐỊNH');
      expect(text).toContain('TBKĐ-2026-000007');
      expect(text).toContain('KHÔNG ĐẠT / FAIL');
      expect(text).toContain('không đạt yêu cầu kỹ thuật đo lường theo ĐLVN 10:2017');
      // The failing points, before the full results: Qmin with its error and MPE, and the count.
      const failing = text.slice(text.indexOf('CÁC ĐIỂM ĐO KHÔNG ĐẠT'), text.indexOf('VERIFICATION RESULTS'));
      for (const shown of ['Qmin', '−0,73', '±0,5', 'Không đạt', 'Sai số lớn nhất cho phép'])
        expect(failing).toContain(shown);
      for (const passed of ['Qmax', 'Qtb', '0,12', '0,08']) expect(failing).not.toContain(passed);
      expect(text).toContain('1 trên 3 điểm đo');
      // The full results mark it too.
      const all = text.slice(text.indexOf('VERIFICATION RESULTS'));
      for (const shown of ['Qmax', 'Qtb', 'Qmin', '0,12', '−0,73', 'Đạt', 'Không đạt']) expect(all).toContain(shown);
      expect(text).toContain('không được phép sử dụng');
      expect(text).toContain('kiểm định sau sửa chữa');
      expect(text).toContain('may not be used (for trade)');
      expect(text).not.toContain('Có hiệu lực đến');
      expect(text).not.toContain('Số tem kiểm định');
      expect(text).toContain('Các kết quả trong thông báo này');
    });

    it('carries its QR code to its public page', async () => {
      if (!hasTool('zbarimg') || !hasTool('pdftoppm')) return skipping('zbarimg', 'decoding the notice QR code');
      const model = failureNoticeModel();
      expect(qrCodesOnFirstPage(await renderCertificate(model))).toEqual([model.verificationUrl]);
    });

    it('refuses to render a notice without a failing point', async () => {
      const model = failureNoticeModel();
      model.results[0].rows[2].decision = 'pass';
      await expect(renderCertificate(model)).rejects.toThrow(CertificateModelError);
    });
  });
});

/** A 2×2 red PNG, made here so that the test needs no file. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const scanlines = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
