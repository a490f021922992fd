import type { PublicCertificateView } from '../dto/certificate.dto.js';
import { createHash } from 'node:crypto';
import { certificatePage, escapeHtml, stampPage, VERIFY_PAGE_CSP } from './verify-page.js';

const view = (overrides: Partial<PublicCertificateView> = {}): PublicCertificateView => ({
  number: 'KĐ-2026-000123',
  kind: 'verification',
  status: 'valid',
  issueDate: '2026-03-12',
  validUntil: '2027-03-11',
  conformity: 'pass',
  instrument: { type: 'Cột đo xăng dầu', serial: 'TS-2291' },
  owner: 'Cửa hàng xăng dầu Ấp Mới',
  laboratory: 'Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng',
  stampSerial: 'TEM-2026-000042',
  replaces: null,
  supersededBy: null,
  revokedOn: null,
  asIssued: null,
  ...overrides,
});

describe('the public verification page', () => {
  it('escapes every character HTML gives a meaning to', () => {
    expect(escapeHtml(`<script>alert("x&y")</script>'`)).toBe(
      '&#60;script&#62;alert(&#34;x&#38;y&#34;)&#60;/script&#62;&#39;',
    );
  });

  it('says in Vietnamese what the certificate is and whether it is valid, dates written day first', () => {
    const html = certificatePage('KĐ-2026-000123', view());
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('CÒN HIỆU LỰC');
    expect(html).toContain('Giấy chứng nhận kiểm định');
    expect(html).toContain('Có hiệu lực đến</dt><dd>11/03/2027');
    expect(html).toContain('Kết luận</dt><dd>ĐẠT');
    expect(html).toContain('Cửa hàng xăng dầu Ấp Mới');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('tells a failure notice apart: KHÔNG ĐẠT, not to be used, no validity, never "valid"', () => {
    const html = certificatePage(
      'TBKĐ-2026-000007',
      view({
        number: 'TBKĐ-2026-000007',
        kind: 'verification_failure',
        status: 'not_passed',
        validUntil: null,
        conformity: 'fail',
        stampSerial: null,
      }),
    );
    expect(html).toContain('KHÔNG ĐẠT — PHƯƠNG TIỆN ĐO KHÔNG ĐƯỢC PHÉP SỬ DỤNG');
    expect(html).toContain('Thông báo kết quả kiểm định không đạt');
    expect(html).toContain('Kết luận</dt><dd>KHÔNG ĐẠT');
    expect(html).not.toContain('CÒN HIỆU LỰC');
    expect(html).not.toContain('Có hiệu lực đến');
  });

  it('shows each status in its own words', () => {
    expect(certificatePage('x', view({ status: 'expired' }))).toContain('HẾT HIỆU LỰC');
    expect(certificatePage('x', view({ status: 'revoked', revokedOn: '2026-04-01' }))).toContain('ĐÃ BỊ THU HỒI');
    const superseded = certificatePage('x', view({ status: 'superseded', supersededBy: 'KĐ-2026-000200' }));
    expect(superseded).toContain('ĐÃ ĐƯỢC THAY THẾ');
    expect(superseded).toContain('Được thay thế bởi chứng nhận số</dt><dd>KĐ-2026-000200');
    expect(certificatePage('KĐ-2026-999999', undefined)).toContain('KHÔNG TÌM THẤY');
  });

  it('never lets what was asked for or stored inject markup', () => {
    const html = certificatePage('<img src=x onerror=alert(1)>', view({ owner: '<b>Công ty</b>' }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;b&#62;Công ty&#60;/b&#62;');
  });

  it('shows a stamp with its certificate', () => {
    const html = stampPage('TEM-2026-000042', {
      serial: 'TEM-2026-000042',
      status: 'valid',
      validUntil: '2027-03-11',
      voidFrom: null,
      certificate: view(),
    });
    expect(html).toContain('Tem số: TEM-2026-000042');
    expect(html).toContain('Tem có hiệu lực đến</dt><dd>11/03/2027');
    expect(html).toContain('KĐ-2026-000123');
  });

  it("never shows a revoked or superseded document's old conclusion as current, only struck through and marked", () => {
    const withdrawn = {
      validUntil: null,
      conformity: null,
      asIssued: { validUntil: '2027-03-11', conformity: 'pass' as const },
    };
    for (const html of [
      certificatePage('x', view({ ...withdrawn, status: 'revoked', revokedOn: '2026-04-01' })),
      certificatePage('x', view({ ...withdrawn, status: 'superseded', supersededBy: 'KĐ-2026-000200' })),
    ]) {
      expect(html).not.toContain('Kết luận</dt><dd>ĐẠT');
      expect(html).not.toContain('Có hiệu lực đến</dt>');
      expect(html).toContain('Nội dung khi cấp — KHÔNG CÒN GIÁ TRỊ');
      expect(html).toContain('Kết luận khi cấp</dt><dd><s>ĐẠT</s>');
      expect(html).toContain('Hiệu lực ghi khi cấp</dt><dd><s>11/03/2027</s>');
      // The status comes first, the old content last.
      expect(html.indexOf('class="status"')).toBeLessThan(html.indexOf('KHÔNG CÒN GIÁ TRỊ'));
    }
    expect(certificatePage('x', view())).not.toContain('KHÔNG CÒN GIÁ TRỊ');
  });

  it('shows a revoked stamp as void from the revocation date, not valid until its printed date', () => {
    const html = stampPage('TEM-2026-000042', {
      serial: 'TEM-2026-000042',
      status: 'revoked',
      validUntil: '2027-03-11',
      voidFrom: '2026-04-01',
      certificate: view({
        status: 'revoked',
        revokedOn: '2026-04-01',
        validUntil: null,
        conformity: null,
        asIssued: { validUntil: '2027-03-11', conformity: 'pass' },
      }),
    });
    expect(html).toContain('Tem hết hiệu lực từ</dt><dd>01/04/2026');
    expect(html).not.toContain('Tem có hiệu lực đến');
    expect(html).toContain('ĐÃ BỊ THU HỒI');
    expect(html).not.toContain('Kết luận</dt><dd>ĐẠT');
  });

  it('needs nothing its Content-Security-Policy forbids: one stylesheet, by hash; no inline style, script or image', () => {
    const statuses = ['valid', 'expired', 'revoked', 'superseded', 'not_passed'] as const;
    const pages = [
      ...statuses.map((status) => certificatePage('KĐ-2026-000123', view({ status }))),
      certificatePage('nope', undefined),
      stampPage('nope', undefined),
    ];
    for (const html of pages) {
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(styles).toHaveLength(1);
      const hash = createHash('sha256').update(styles[0]!, 'utf8').digest('base64');
      expect(VERIFY_PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
      expect(html).not.toMatch(/\sstyle=|<script|<img|<link|<form|<iframe|\son[a-z]+=/i);
    }
    expect(VERIFY_PAGE_CSP.split('; ')[0]).toBe("default-src 'none'");
  });
});
